/**
 * Progressive profiling, part 2 of 2: keep what the website posted back.
 *
 * The update-profile website POSTs the fields it asked for to
 * /continue?state=...; they arrive in context.request.body and are merged
 * into user_metadata. Only the profile fields are taken, trimmed and
 * bounded: whatever else the body holds is ignored.
 */
function mergeUpdatedProfile(user, context, callback) {
  const _ = require('lodash');
  if (context.protocol !== 'redirect-callback') return callback(null, user, context);

  const body = context.request.body || {};
  const posted = _.pick(body, ['given_name', 'family_name', 'birthdate']);
  const updates = _.pickBy(_.mapValues(posted, (v) => String(v).trim().slice(0, 100)), (v) => v !== '');
  if (_.isEmpty(updates)) return callback(null, user, context);

  user.user_metadata = Object.assign({}, user.user_metadata, updates);
  return auth0.users.updateUserMetadata(user.user_id, user.user_metadata)
    .then(() => callback(null, user, context))
    .catch((err) => callback(err));
}
