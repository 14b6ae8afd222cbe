// Links into the official guide; every rule points at the section that explains it.
const GUIDE = 'https://backstage.io/docs/tutorials/auth-service-migration';

export const guide = {
  root: GUIDE,
  backend: `${GUIDE}#migrating-the-backend`,
  disablePolicy: `${GUIDE}#disabling-the-default-auth-policy`,
  authPolicies: `${GUIDE}#adding-auth-policies`,
  dependencies: `${GUIDE}#updating-dependencies-in-the-new-backend-system`,
  createRouter: `${GUIDE}#making-the-new-auth-services-available-in-createrouter`,
  serviceToService: `${GUIDE}#example-1-making-a-standalone-service-to-service-request`,
  forwarding: `${GUIDE}#example-2-forwarding-credentials-from-an-incoming-request`,
  userIdentity: `${GUIDE}#example-3-getting-the-user-identity-from-a-request`,
} as const;
