/**
 * Progressive profiling, part 1 of 2 (SPEC §3.6): ask for what is missing.
 *
 * given_name and family_name are required from the first login, birthdate
 * from the third. When any is missing from user_metadata the user is sent to
 * the update-profile website with an HS256 JWT naming the fields to ask for
 * (claim <TOKEN_ISSUER>/claims/required_fields, 5-minute expiry).
 *
 * Settings (rules-configs): TOKEN_ISSUER, TOKEN_AUDIENCE, TOKEN_SECRET,
 * UPDATE_PROFILE_WEBSITE_URL.
 */
function redirectToUpdateProfileWebsite(user, context, callback) {
  const _ = require('lodash');
  const jwt = require('jsonwebtoken');
  if (context.protocol === 'redirect-callback' || context.redirect) {
    return callback(null, user, context);
  }

  const metadata = user.user_metadata || {};
  const wanted = ['given_name', 'family_name'];
  if (context.stats.loginsCount >= 3) wanted.push('birthdate');
  const requiredFields = _.filter(wanted, (field) => _.isEmpty(metadata[field]));
  if (requiredFields.length === 0) return callback(null, user, context);

  const claims = {};
  claims[configuration.TOKEN_ISSUER + '/claims/required_fields'] = requiredFields;
  const token = jwt.sign(claims, configuration.TOKEN_SECRET, {
    algorithm: 'HS256',
    subject: user.user_id,
    issuer: configuration.TOKEN_ISSUER,
    audience: configuration.TOKEN_AUDIENCE,
    expiresIn: '5m',
  });
  context.redirect = { url: configuration.UPDATE_PROFILE_WEBSITE_URL + '?token=' + token };
  return callback(null, user, context);
}
