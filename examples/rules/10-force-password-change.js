/**
 * Force password change (SPEC §3.6), written the way Auth0 published it.
 *
 * Users whose app_metadata.force_password_change is true are sent to the
 * password-change application with a short-lived HS256 JWT (sub = user id).
 * The application changes the password through the Management API and sends
 * the browser back to /continue?state=...&token=<JWT> where the token carries
 * passwordChanged: true for the same user. Only then is the flag cleared.
 *
 * Settings (rules-configs): TOKEN_ISSUER, PASSWORD_CHANGE_URL,
 * PASSWORD_CHANGE_SECRET (at least 32 characters, shared with the app).
 */
function forcePasswordChange(user, context, callback) {
  const jwt = require('jsonwebtoken');
  user.app_metadata = user.app_metadata || {};
  if (user.app_metadata.force_password_change !== true) {
    return callback(null, user, context);
  }

  if (context.protocol === 'redirect-callback') {
    // Coming back from the application: accept nothing but a token it signed
    // for exactly this user, saying the password was changed.
    const token = context.request.query.token || (context.request.body || {}).token;
    let claims;
    try {
      claims = jwt.verify(token, configuration.PASSWORD_CHANGE_SECRET, {
        algorithms: ['HS256'],
        issuer: configuration.PASSWORD_CHANGE_URL,
        audience: configuration.TOKEN_ISSUER,
      });
    } catch (err) {
      return callback(new UnauthorizedError('The password change could not be verified.'));
    }
    if (claims.sub !== user.user_id || claims.passwordChanged !== true) {
      return callback(new UnauthorizedError('The password change could not be verified.'));
    }
    user.app_metadata.force_password_change = false;
    user.app_metadata.password_changed_at = new Date().toISOString();
    return auth0.users.updateAppMetadata(user.user_id, user.app_metadata)
      .then(() => callback(null, user, context))
      .catch((err) => callback(err));
  }

  const token = jwt.sign({ email: user.email }, configuration.PASSWORD_CHANGE_SECRET, {
    algorithm: 'HS256',
    subject: user.user_id,
    issuer: configuration.TOKEN_ISSUER,
    audience: configuration.PASSWORD_CHANGE_URL,
    expiresIn: '5m',
  });
  context.redirect = { url: configuration.PASSWORD_CHANGE_URL + '?token=' + token };
  return callback(null, user, context);
}
