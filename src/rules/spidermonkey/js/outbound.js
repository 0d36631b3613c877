// Gatehouse outbound HTTP for rules: the `fetch` global and the `request` and
// `axios` modules, as thin layers over one native call, N.fetch. The prelude
// calls this factory once per tenant global with:
//   N        the natives (N.fetch(requestJson) starts a host operation)
//   startOp  (start) => Promise: registers the op id start() returns; the host
//            settles it with the response JSON or rejects it with a message
//   helpers  {querystring, fail(e)}: fail ends the running rule with e (for
//            exceptions thrown by a request() callback, which Node would crash on)
// The time a call takes counts against the pipeline's limit; policy refusals,
// timeouts and the size cap arrive as rejections carrying the host's message.
(function (N, startOp, helpers) {
  'use strict';
  const qs = helpers.querystring;

  // ---- the one native call
  function send(method, url, headerPairs, body, timeout) {
    const request = {method, url: String(url), headers: headerPairs, body: body === undefined ? '' : body};
    if (typeof timeout === 'number' && timeout > 0) request.timeout = timeout;
    return startOp(() => N.fetch(JSON.stringify(request))).then((json) => JSON.parse(json));
  }

  function isPlainObject(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v) &&
        !(v instanceof URLSearchParams) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);
  }
  function hasHeader(pairs, name) {
    const lower = name.toLowerCase();
    return pairs.some((p) => p[0].toLowerCase() === lower);
  }
  function withQuery(url, params) {
    if (!params) return url;
    const query = params instanceof URLSearchParams ? params.toString() : qs.stringify(params);
    if (!query) return url;
    return url + (url.includes('?') ? '&' : '?') + query;
  }
  function joinUrl(base, url) {
    if (!base || /^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
    return base.replace(/\/+$/, '') + '/' + String(url).replace(/^\/+/, '');
  }
  function basic(user, pass) {
    return 'Basic ' + N.b64Encode(N.utf8Encode(`${user || ''}:${pass || ''}`), false);
  }
  // Plain object of lower-cased names; repeated headers joined as Node does
  // (set-cookie stays an array).
  function headerObject(pairs) {
    const out = {};
    for (const [name, value] of pairs) {
      if (name === 'set-cookie') (out[name] = out[name] || []).push(value);
      else out[name] = name in out ? `${out[name]}, ${value}` : value;
    }
    return out;
  }
  function headerPairsOf(init) {
    if (init === undefined || init === null) return [];
    if (init instanceof Headers) return init._pairs.map((p) => [p[0], p[1]]);
    const pairs = Array.isArray(init) ? init : Object.keys(init).map((k) => [k, init[k]]);
    const out = [];
    for (const [name, value] of pairs) {
      if (value === undefined || value === null) continue;
      out.push([String(name), String(value)]);
    }
    return out;
  }

  // ---- fetch (WHATWG subset)
  class Headers {
    constructor(init) {
      this._pairs = headerPairsOf(init).map(([n, v]) => [n.toLowerCase(), v]);
    }
    get(name) {
      const lower = String(name).toLowerCase();
      const values = this._pairs.filter((p) => p[0] === lower).map((p) => p[1]);
      return values.length ? values.join(', ') : null;
    }
    has(name) { return this.get(name) !== null; }
    set(name, value) { this.delete(name); this.append(name, value); }
    append(name, value) { this._pairs.push([String(name).toLowerCase(), String(value)]); }
    delete(name) {
      const lower = String(name).toLowerCase();
      this._pairs = this._pairs.filter((p) => p[0] !== lower);
    }
    forEach(fn, self) { for (const [n, v] of this.entries()) fn.call(self, v, n, this); }
    *entries() {
      const names = [...new Set(this._pairs.map((p) => p[0]))].sort();
      for (const n of names) yield [n, this.get(n)];
    }
    *keys() { for (const [n] of this.entries()) yield n; }
    *values() { for (const [, v] of this.entries()) yield v; }
    [Symbol.iterator]() { return this.entries(); }
  }

  class Response {
    constructor(body, init) {
      init = init || {};
      this.status = init.status === undefined ? 200 : init.status;
      this.statusText = init.statusText || '';
      this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
      this.url = init.url || '';
      this.redirected = !!init.redirected;
      this._body = body === undefined || body === null ? '' : String(body);
      this.bodyUsed = false;
    }
    get ok() { return this.status >= 200 && this.status < 300; }
    get type() { return 'basic'; }
    _take() {
      if (this.bodyUsed) return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
      this.bodyUsed = true;
      return Promise.resolve(this._body);
    }
    text() { return this._take(); }
    json() { return this._take().then((t) => JSON.parse(t)); }
    clone() {
      if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.');
      return new Response(this._body, this);
    }
  }

  function fetch(input, init) {
    return new Promise((resolve, reject) => {
      init = init || {};
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href :
          input && typeof input.url === 'string' ? input.url : String(input);
      const method = String(init.method || (input && input.method) || 'GET').toUpperCase();
      const headers = headerPairsOf(init.headers || (input && input.headers));
      let body = init.body;
      if (body instanceof URLSearchParams) {
        if (!hasHeader(headers, 'content-type')) headers.push(['content-type', 'application/x-www-form-urlencoded;charset=UTF-8']);
        body = body.toString();
      } else if (body !== undefined && body !== null) {
        if ((method === 'GET' || method === 'HEAD')) throw new TypeError('Request with GET/HEAD method cannot have body.');
        if (typeof body === 'string' && !hasHeader(headers, 'content-type')) headers.push(['content-type', 'text/plain;charset=UTF-8']);
        body = String(body);
      }
      send(method, url, headers, body === null ? undefined : body).then((r) => {
        resolve(new Response(r.body, {status: r.status, headers: r.headers, url: r.url, redirected: r.url !== url}));
      }, (e) => reject(new TypeError(`fetch failed: ${e && e.message || e}`)));
    });
  }

  // ---- require('request'): callback style (err, response, body)
  function requestOptions(uri, options, callback) {
    if (typeof options === 'function') { callback = options; options = undefined; }
    let params;
    if (typeof uri === 'string' || uri instanceof URL) params = Object.assign({}, options || {}, {uri: String(uri)});
    else params = Object.assign({}, uri || {});
    if (typeof callback === 'function') params.callback = callback;
    return params;
  }
  function runRequest(params) {
    const callback = typeof params.callback === 'function' ? params.callback : () => {};
    let url = joinUrl(params.baseUrl, String(params.uri || params.url || ''));
    url = withQuery(url, params.qs);
    const method = String(params.method || 'GET').toUpperCase();
    const headers = headerPairsOf(params.headers);
    let body = params.body;
    if (params.form !== undefined) {
      body = typeof params.form === 'string' ? params.form : qs.stringify(params.form);
      if (!hasHeader(headers, 'content-type')) headers.push(['content-type', 'application/x-www-form-urlencoded']);
    } else if (params.json && body !== undefined && typeof body !== 'string') {
      body = JSON.stringify(body);
      if (!hasHeader(headers, 'content-type')) headers.push(['content-type', 'application/json']);
    } else if (typeof params.json === 'object' && params.json !== null && body === undefined) {
      body = JSON.stringify(params.json);
      if (!hasHeader(headers, 'content-type')) headers.push(['content-type', 'application/json']);
    } else if (body !== undefined && typeof body !== 'string') {
      body = String(body);
    }
    if (params.json && !hasHeader(headers, 'accept')) headers.push(['accept', 'application/json']);
    const auth = params.auth;
    if (auth && !hasHeader(headers, 'authorization')) {
      if (auth.bearer) headers.push(['authorization', `Bearer ${typeof auth.bearer === 'function' ? auth.bearer() : auth.bearer}`]);
      else if (auth.user !== undefined || auth.username !== undefined) headers.push(['authorization', basic(auth.user !== undefined ? auth.user : auth.username, auth.pass !== undefined ? auth.pass : auth.password)]);
    }
    const report = (err, response, responseBody) => {
      try {
        callback(err, response, responseBody);
      } catch (e) {
        helpers.fail(e);
      }
    };
    send(method, url, headers, body, params.timeout).then((r) => {
      let responseBody = r.body;
      if (params.json && responseBody !== '') {
        try { responseBody = JSON.parse(responseBody); } catch (e) { /* request keeps the text */ }
      }
      const response = {
        statusCode: r.status, statusMessage: '', headers: headerObject(r.headers), body: responseBody,
        request: {uri: {href: r.url}, method}, url: r.url,
        toJSON() { return {statusCode: this.statusCode, headers: this.headers, body: this.body}; },
      };
      report(null, response, responseBody);
    }, (e) => {
      const err = new Error(e && e.message || String(e));
      if (/timed out/.test(err.message)) err.code = 'ETIMEDOUT';
      report(err, undefined, undefined);
    });
    return {uri: {href: url}, method};
  }
  function makeRequest(defaults) {
    const request = function request(uri, options, callback) {
      return runRequest(Object.assign({}, defaults, requestOptions(uri, options, callback)));
    };
    const verb = (method) => function (uri, options, callback) {
      return runRequest(Object.assign({}, defaults, requestOptions(uri, options, callback), {method}));
    };
    request.get = verb('GET');
    request.post = verb('POST');
    request.put = verb('PUT');
    request.patch = verb('PATCH');
    request.del = request.delete = verb('DELETE');
    request.head = verb('HEAD');
    request.defaults = (more) => makeRequest(Object.assign({}, defaults, more));
    return Object.freeze(request);
  }
  const request = makeRequest({});

  // ---- require('axios'): Promise style, rejects on non-2xx with error.response
  function axiosError(message, code, config, response) {
    const err = new Error(message);
    err.name = 'AxiosError';
    err.isAxiosError = true;
    err.code = code;
    err.config = config;
    if (response) err.response = response;
    err.toJSON = () => ({message: err.message, name: err.name, code: err.code, status: response && response.status});
    return err;
  }
  function mergeConfig(a, b) {
    const out = Object.assign({}, a, b);
    out.headers = Object.assign({}, a && a.headers, b && b.headers);
    return out;
  }
  function runAxios(config) {
    return new Promise((resolve, reject) => {
      const url = withQuery(joinUrl(config.baseURL, String(config.url || '')), config.params);
      const method = String(config.method || 'get').toUpperCase();
      const headers = headerPairsOf(config.headers);
      let body = config.data;
      if (body instanceof URLSearchParams) {
        if (!hasHeader(headers, 'content-type')) headers.push(['content-type', 'application/x-www-form-urlencoded;charset=utf-8']);
        body = body.toString();
      } else if (body !== undefined && body !== null && typeof body === 'object') {
        if (!hasHeader(headers, 'content-type')) headers.push(['content-type', 'application/json']);
        body = JSON.stringify(body);
      } else if (body !== undefined && body !== null) {
        body = String(body);
      } else {
        body = undefined;
      }
      if (!hasHeader(headers, 'accept')) headers.push(['accept', 'application/json, text/plain, */*']);
      if (config.auth && !hasHeader(headers, 'authorization')) headers.push(['authorization', basic(config.auth.username, config.auth.password)]);
      send(method, url, headers, body, config.timeout).then((r) => {
        let data = r.body;
        if (config.responseType !== 'text' && typeof data === 'string' && data !== '') {
          try { data = JSON.parse(data); } catch (e) { /* not JSON: axios keeps the text */ }
        }
        const response = {data, status: r.status, statusText: '', headers: headerObject(r.headers), config, request: {responseURL: r.url}};
        const valid = typeof config.validateStatus === 'function' ? config.validateStatus(r.status) :
            config.validateStatus === null || (r.status >= 200 && r.status < 300);
        if (valid) return resolve(response);
        reject(axiosError(`Request failed with status code ${r.status}`,
                          r.status >= 500 ? 'ERR_BAD_RESPONSE' : 'ERR_BAD_REQUEST', config, response));
      }, (e) => {
        const message = e && e.message || String(e);
        reject(axiosError(message, /timed out/.test(message) ? 'ECONNABORTED' : 'ERR_NETWORK', config));
      });
    });
  }
  function makeAxios(defaults) {
    const axios = function axios(urlOrConfig, config) {
      if (typeof urlOrConfig === 'string') return runAxios(mergeConfig(defaults, Object.assign({}, config, {url: urlOrConfig})));
      return runAxios(mergeConfig(defaults, urlOrConfig));
    };
    axios.request = (config) => runAxios(mergeConfig(defaults, config));
    for (const m of ['get', 'delete', 'head', 'options']) {
      axios[m] = (url, config) => runAxios(mergeConfig(defaults, Object.assign({}, config, {url, method: m})));
    }
    for (const m of ['post', 'put', 'patch']) {
      axios[m] = (url, data, config) => runAxios(mergeConfig(defaults, Object.assign({}, config, {url, method: m, data})));
    }
    axios.defaults = defaults;
    axios.create = (more) => makeAxios(mergeConfig(defaults, more));
    axios.isAxiosError = (e) => !!(e && e.isAxiosError);
    axios.default = axios;
    return axios;
  }
  const axios = makeAxios({headers: {}});

  return {fetch, Headers, Response, request, axios};
})
