export { bookmarksModuleDigest as default } from './module';
