// Talking to the playground's server: JSON in, JSON out, errors as messages.
export async function api(path, body = undefined, method = undefined) {
  const init = { method: method || (body === undefined ? "GET" : "POST"), headers: {} };
  if (body instanceof Blob || body instanceof ArrayBuffer) {
    init.body = body;
    init.headers["Content-Type"] = "text/csv";
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  const response = await fetch(path, init);
  const answer = await response.json().catch(() => ({ error: response.statusText }));
  if (!response.ok) throw new Error(answer.error || `HTTP ${response.status}`);
  return answer;
}
