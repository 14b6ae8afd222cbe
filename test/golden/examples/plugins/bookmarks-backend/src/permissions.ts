import { createPermission } from '@backstage/plugin-permission-common';

/** Bookmarking an entity is checked per user by the permission policy. */
export const bookmarkCreatePermission = createPermission({
  name: 'bookmarks.bookmark.create',
  attributes: { action: 'create' },
});

/** Deleting is checked against the bookmarked entity. */
export const bookmarkDeletePermission = createPermission({
  name: 'bookmarks.bookmark.delete',
  attributes: { action: 'delete' },
  resourceType: 'catalog-entity',
});

export const bookmarkPermissions = [bookmarkCreatePermission, bookmarkDeletePermission];
