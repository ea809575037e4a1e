// A minimal user agent for the login pages: follows /authorize to the login (and consent) page,
// posts the form with its hidden fields, keeps cookies, and stops at the redirect back to the
// application (or at the form_post page).

export class BrowserlessLogin {
  constructor(email, password) {
    this.email = email;
    this.password = password;
    this.cookies = new Map();
  }

  async fetch(url, init = {}) {
    const headers = new Headers(init.headers || {});
    const jar = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (jar) headers.set('cookie', jar);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (/max-age=0/i.test(cookie)) this.cookies.delete(name); else this.cookies.set(name, value);
    }
    return response;
  }

  static hiddenFields(html) {
    const fields = new URLSearchParams();
    for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      fields.set(match[1], match[2].replaceAll('&quot;', '"').replaceAll('&#39;', "'")
        .replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&'));
    }
    return fields;
  }

  /** Runs an authorization URL through login and consent; returns the application's response. */
  async authorize(authorizationUrl) {
    let response = await this.fetch(authorizationUrl);
    for (let step = 0; step < 6; step++) {
      const location = response.headers.get('location');
      if (response.status !== 302 || !location) return response;
      const target = new URL(location, authorizationUrl);
      if (!target.pathname.startsWith('/u/')) return response;
      const page = await this.fetch(target);
      const html = await page.text();
      if (page.status !== 200) throw new Error(`page ${target.pathname} answered ${page.status}: ${html}`);
      const form = BrowserlessLogin.hiddenFields(html);
      if (target.pathname === '/u/login') {
        form.set('email', this.email);
        form.set('password', this.password);
      } else {
        form.set('action', 'accept');
      }
      response = await this.fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
    }
    throw new Error('too many redirects');
  }
}
