/**
 * Terms of service: ask once per terms version, record the answer.
 *
 * Users who have not accepted configuration.TERMS_VERSION are sent to a
 * consent page (TERMS_URL) that POSTs terms_decision=accept|decline back to
 * /continue. Acceptance is recorded in app_metadata.terms (version and time);
 * declining denies the login with UnauthorizedError. Without a TERMS_VERSION
 * setting the rule does nothing.
 *
 * Only one rule may redirect per login, so it waits for a later login when an
 * earlier rule (e.g. the password change) already redirects this one.
 *
 * Settings (rules-configs): TERMS_URL, TERMS_VERSION.
 */
function termsOfService(user, context, callback) {
  const version = configuration.TERMS_VERSION;
  if (!version) return callback(null, user, context);
  user.app_metadata = user.app_metadata || {};
  const accepted = user.app_metadata.terms && user.app_metadata.terms.version === version;
  if (accepted) return callback(null, user, context);

  if (context.protocol === 'redirect-callback') {
    const decision = (context.request.body || {}).terms_decision;
    if (decision === undefined) return callback(null, user, context);  // another rule's redirect
    if (decision !== 'accept') {
      return callback(new UnauthorizedError('You must accept the terms of service to log in.'));
    }
    user.app_metadata.terms = { version: version, accepted_at: new Date().toISOString() };
    return auth0.users.updateAppMetadata(user.user_id, user.app_metadata)
      .then(() => callback(null, user, context))
      .catch((err) => callback(err));
  }

  if (context.redirect) return callback(null, user, context);
  context.redirect = {
    url: configuration.TERMS_URL + '?version=' + encodeURIComponent(version),
  };
  return callback(null, user, context);
}
