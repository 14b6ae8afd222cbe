export interface Bookmark {
  entityRef: string;
  title: string;
  createdAt: string;
}

/** Bookmarks per user, kept in memory (the real plugin would use its database). */
export class BookmarkStore {
  private readonly byUser = new Map<string, Bookmark[]>();

  list(userEntityRef: string): Bookmark[] {
    return this.byUser.get(userEntityRef) ?? [];
  }

  add(userEntityRef: string, bookmark: Bookmark): void {
    this.byUser.set(userEntityRef, [...this.list(userEntityRef), bookmark]);
  }

  remove(userEntityRef: string, entityRef: string): boolean {
    const before = this.list(userEntityRef);
    const after = before.filter((b) => b.entityRef !== entityRef);
    this.byUser.set(userEntityRef, after);
    return after.length !== before.length;
  }

  /** Entity refs ordered by how many people bookmarked them. */
  popular(limit: number): { entityRef: string; count: number }[] {
    const counts = new Map<string, number>();
    for (const bookmarks of this.byUser.values()) {
      for (const { entityRef } of bookmarks) counts.set(entityRef, (counts.get(entityRef) ?? 0) + 1);
    }
    return [...counts.entries()]
      .map(([entityRef, count]) => ({ entityRef, count }))
      .sort((a, b) => b.count - a.count)
      .slice(0, limit);
  }

  retitle(entityRef: string, title: string): void {
    for (const bookmarks of this.byUser.values()) {
      for (const bookmark of bookmarks) if (bookmark.entityRef === entityRef) bookmark.title = title;
    }
  }

  allEntityRefs(): string[] {
    return [...new Set([...this.byUser.values()].flat().map((b) => b.entityRef))];
  }
}
