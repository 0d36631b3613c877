// Gatehouse actions prelude: Auth0's post-login Actions contract on top of the
// rules prelude. Runs once per tenant global, after prelude.js; receives the
// rules pipeline object `P` and returns the actions pipeline the worker
// drives. Neither is reachable from scripts.
(function (P) {
  'use strict';
  const {N, jwt, errorInfo, setCurrent} = P.internals;
  const exportsOf = new WeakMap();  // module function -> its exports (evaluated once per global)

  const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const namespaced = (name) => /^https?:\/\//.test(name);

  function withQuery(url, query) {
    if (!isObject(query)) return url;
    const pairs = Object.keys(query)
        .filter((k) => query[k] !== undefined && query[k] !== null)
        .map((k) => encodeURIComponent(k) + '=' + encodeURIComponent(String(query[k])));
    if (!pairs.length) return url;
    const hash = url.indexOf('#');
    const head = hash < 0 ? url : url.slice(0, hash);
    const tail = hash < 0 ? '' : url.slice(hash);
    const sep = head.indexOf('?') < 0 ? '?' : (/[?&]$/.test(head) ? '' : '&');
    return head + sep + pairs.join('&') + tail;
  }

  function makeApi(state, mode, event, name) {
    const c = state.collected;
    const o = state.options;
    const api = {};
    const setClaim = (bag, token) => (claim, value) => {
      claim = String(claim);
      if (!namespaced(claim)) {
        N.log('warn', `claim "${claim}" in api.${token}.setCustomClaim ignored: custom claims must ` +
            'be namespaced with an http:// or https:// prefix');
      } else {
        bag[claim] = value;
      }
      return api;
    };
    const scopes = () => {
      if (c.scope === null) c.scope = String(o.scope || '').split(' ').filter(Boolean);
      return c.scope;
    };
    const setMetadata = (bag, field) => (key, value) => {
      key = String(key);
      bag[key] = value === undefined ? null : value;
      const user = event.user;
      if (isObject(user)) {
        if (!isObject(user[field])) user[field] = {};
        if (value === null || value === undefined) delete user[field][key];
        else user[field][key] = value;
      }
      return api;
    };
    api.access = Object.freeze({
      deny(reason) {
        if (state.deny === null) state.deny = reason === undefined ? '' : String(reason);
        return api;
      },
    });
    api.idToken = Object.freeze({setCustomClaim: setClaim(c.idToken, 'idToken')});
    api.accessToken = Object.freeze({
      setCustomClaim: setClaim(c.accessToken, 'accessToken'),
      addScope(scope) {
        const list = scopes();
        if (!list.includes(String(scope))) list.push(String(scope));
        return api;
      },
      removeScope(scope) {
        c.scope = scopes().filter((s) => s !== String(scope));
        return api;
      },
    });
    api.user = Object.freeze({
      setUserMetadata: setMetadata(c.userMetadata, 'user_metadata'),
      setAppMetadata: setMetadata(c.appMetadata, 'app_metadata'),
    });
    api.redirect = Object.freeze({
      canRedirect: () => o.canRedirect && mode === 'execute',
      sendUserTo(url, options) {
        if (typeof url !== 'string' || url === '') throw new TypeError('sendUserTo needs a URL string');
        if (mode !== 'execute') {
          N.log('warn', `api.redirect.sendUserTo in onContinuePostLogin of "${name}" ignored: ` +
              'one redirect per action');
          return api;
        }
        state.redirect = withQuery(url, options && options.query);
        return api;
      },
      encodeToken(options) {
        options = options || {};
        if (typeof options.secret !== 'string' || options.secret === '') {
          throw new TypeError('encodeToken needs a non-empty secret');
        }
        const lifetime = options.expiresInSeconds === undefined ? 900 : Number(options.expiresInSeconds);
        if (!Number.isFinite(lifetime)) throw new TypeError('expiresInSeconds must be a number');
        const claims = Object.assign({}, isObject(options.payload) ? options.payload : {}, {
          iss: o.issuer,
          sub: isObject(event.user) ? event.user.user_id : undefined,
          exp: Math.floor(Date.now() / 1000) + Math.floor(lifetime),
          ip: event.request ? event.request.ip : undefined,
          state: o.state,
        });
        return jwt.sign(claims, options.secret, {algorithm: 'HS256'});
      },
      validateToken(options) {
        options = options || {};
        const param = options.tokenParameterName || 'session_token';
        const request = event.request || {};
        let token = isObject(request.query) ? request.query[param] : undefined;
        if (token === undefined && isObject(request.body)) token = request.body[param];
        if (typeof token !== 'string' || token === '') {
          throw new Error(`The "${param}" parameter is missing from the request`);
        }
        // Throws JsonWebTokenError (signature, algorithm) or TokenExpiredError.
        const payload = jwt.verify(token, options.secret, {algorithms: ['HS256']});
        // In onContinuePostLogin the token comes back with the state the
        // browser presented at /continue.
        const expected = mode === 'continue' ? o.resumeState : o.state;
        if (!expected || payload.state !== expected) {
          throw new Error('The token\'s state claim does not match this login');
        }
        return payload;
      },
    });
    api.authentication = Object.freeze({
      recordMethod(providerUrl) {
        if (mode !== 'continue') {
          throw new Error('api.authentication.recordMethod is only available in onContinuePostLogin');
        }
        const method = {name: String(providerUrl), timestamp: Date.now()};
        c.methods.push(method);
        if (isObject(event.authentication) && Array.isArray(event.authentication.methods)) {
          event.authentication.methods.push(method);
        }
        return api;
      },
    });
    return Object.freeze(api);
  }

  function normalized(collected) {
    const c = isObject(collected) ? collected : {};
    return {
      idToken: isObject(c.idToken) ? c.idToken : {},
      accessToken: isObject(c.accessToken) ? c.accessToken : {},
      scope: Array.isArray(c.scope) ? c.scope.map(String) : null,
      userMetadata: isObject(c.userMetadata) ? c.userMetadata : {},
      appMetadata: isObject(c.appMetadata) ? c.appMetadata : {},
      methods: Array.isArray(c.methods) ? c.methods : [],
    };
  }

  return {
    begin(eventJson, optionsJson, collectedJson) {
      P.begin('null', 'null', '{}', '{}');  // resets timers and host ops of earlier executions
      const event = JSON.parse(eventJson);
      const options = JSON.parse(optionsJson);
      const collected = normalized(JSON.parse(collectedJson));
      // Metadata set before a redirect is already what later actions see.
      if (isObject(event.user)) {
        for (const [field, bag] of [['user_metadata', collected.userMetadata], ['app_metadata', collected.appMetadata]]) {
          if (!isObject(event.user[field])) event.user[field] = {};
          for (const [k, v] of Object.entries(bag)) {
            if (v === null) delete event.user[field][k];
            else event.user[field][k] = v;
          }
        }
      }
      if (isObject(event.authentication) && Array.isArray(event.authentication.methods)) {
        event.authentication.methods.push(...collected.methods);
      }
      return {event, options, collected, deny: null, redirect: null, err: undefined};
    },
    startAction(fn, name, secretsJson, mode, state) {
      let finished = false;
      const finish = (err) => {
        if (finished) return;
        finished = true;
        if (err !== undefined) state.err = errorInfo(err);
        N.ruleDone(state.err !== undefined || state.deny !== null || state.redirect !== null);
      };
      setCurrent(finish);  // an error thrown from a timer ends the action
      try {
        let exports = exportsOf.get(fn);
        if (!exports) {
          const module = {exports: {}};
          fn.call(module.exports, module.exports, globalThis.require, module);
          exports = module.exports;
          exportsOf.set(fn, exports);
        }
        const handler = exports && exports[mode === 'continue' ? 'onContinuePostLogin' : 'onExecutePostLogin'];
        if (typeof handler !== 'function') return finish();
        const event = Object.assign({}, state.event, {secrets: Object.freeze(JSON.parse(secretsJson))});
        const api = makeApi(state, mode, event, name);
        Promise.resolve(handler(event, api)).then(() => finish(), (e) => finish(e === undefined ? new Error('rejected') : e));
      } catch (e) {
        finish(e);
      }
    },
    finish(state) {
      return JSON.stringify({collected: state.collected, deny: state.deny, redirect: state.redirect,
                             error: state.err || null});
    },
  };
})
