import http from 'node:http';
import https from 'node:https';

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
  /** The `tomada_session` cookie's value when the answer set one ('' when it cleared it). */
  cookie: string | undefined;
}

/**
 * One request to the web door's sign-in API: `POST` with a JSON body (or `GET` when `body` is undefined),
 * the cookie sent when given. `headers` replace the defaults (Content-Type, Origin of the same host).
 */
export function api(
  base: string,
  path: string,
  body: unknown,
  options: { cookie?: string; headers?: Record<string, string>; raw?: string } = {},
): Promise<ApiAnswer> {
  const url = new URL(path, base);
  const text = options.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  const get = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = get(
      url,
      {
        method: text === undefined ? 'GET' : 'POST',
        rejectUnauthorized: false,
        headers: {
          ...(text !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...(options.cookie ? { Cookie: `tomada_session=${options.cookie}` } : {}),
          ...options.headers,
        },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (data += d));
        res.on('end', () => {
          const set = res.headers['set-cookie']?.find((c) => c.startsWith('tomada_session='));
          let parsed: Record<string, unknown>;
          try {
            parsed = JSON.parse(data) as Record<string, unknown>;
          } catch {
            parsed = { raw: data };
          }
          resolve({
            status: res.statusCode ?? 0,
            body: parsed,
            headers: res.headers,
            cookie: set === undefined ? undefined : set.slice('tomada_session='.length).split(';')[0],
          });
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}
