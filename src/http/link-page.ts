// The link page: plain HTML and one script of ours, no inline code, so the CSP can forbid everything
// else. Clerk's browser script signs the trader in; ours shows which chat identity the code links,
// asks for the confirming press, and shows the backend's sentence. Text goes in with textContent only.
// Its own files and API are named relative to the page (served at `<PUBLIC_URL>/link`), so the page
// works behind a proxy that serves the bot under a path prefix.

/** Where Clerk's script is served from, for the CSP. */
const originOf = (url: string) => new URL(url).origin;

export function linkPageCsp(clerkScriptUrl: string): string {
  const clerk = originOf(clerkScriptUrl);
  return [
    "default-src 'none'",
    `script-src 'self' ${clerk} https://challenges.cloudflare.com`,
    `connect-src 'self' ${clerk}`,
    `img-src 'self' https://img.clerk.com data:`,
    // Clerk's components inject their own styles.
    "style-src 'self' 'unsafe-inline'",
    'frame-src https://challenges.cloudflare.com',
    "worker-src 'self' blob:",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

const escapeAttr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function linkPageHtml(opts: { publishableKey: string; clerkScriptUrl: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Link your chat to GenTrade</title>
<link rel="stylesheet" href="link/page.css">
<script src="link/page.js" defer></script>
<script async crossorigin="anonymous" data-clerk-publishable-key="${escapeAttr(opts.publishableKey)}" src="${escapeAttr(opts.clerkScriptUrl)}"></script>
</head>
<body>
<main>
<h1>Link your chat to GenTrade</h1>
<p id="identity">Checking your link code…</p>
<form id="code-form" hidden>
<label for="code-input">Link code from /link</label>
<input id="code-input" name="code" autocomplete="off" placeholder="ABCD-EFGH">
<button type="submit">Continue</button>
</form>
<div id="sign-in"></div>
<p id="account" hidden></p>
<button id="confirm" type="button" hidden>Link this chat to my account</button>
<p id="result" role="status"></p>
</main>
</body>
</html>
`;
}

export const LINK_PAGE_CSS = `body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h1{font-size:1.4rem}button{font-size:1rem;padding:.5rem 1rem;cursor:pointer}
#result{font-weight:600}#result.failed{color:#a4161a}#result.linked{color:#1b7f3b}
`;

/** The page's script: runs after the HTML is parsed; waits for Clerk's script to define window.Clerk. */
export const LINK_PAGE_SCRIPT = `'use strict';
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var code = new URLSearchParams(location.search).get('code') || '';
  var ready = false;

  function say(text, kind) {
    var el = $('result');
    el.textContent = text;
    el.className = kind || '';
  }

  function post(path, body, token) {
    var headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = 'Bearer ' + token;
    return fetch(path, { method: 'POST', headers: headers, body: JSON.stringify(body) }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        return { status: res.status, data: data };
      });
    });
  }

  function waitForClerk() {
    return new Promise(function (resolve, reject) {
      var tries = 0;
      (function poll() {
        if (window.Clerk) return resolve(window.Clerk);
        if (++tries > 200) return reject(new Error('Clerk did not load'));
        setTimeout(poll, 50);
      })();
    });
  }

  function showAccount(clerk) {
    var signedIn = Boolean(clerk.user);
    $('sign-in').hidden = signedIn;
    $('account').hidden = !signedIn;
    $('confirm').hidden = !(signedIn && ready);
    if (signedIn) {
      var email = clerk.user.primaryEmailAddress && clerk.user.primaryEmailAddress.emailAddress;
      $('account').textContent = 'Signed in as ' + (email || clerk.user.id) + '.';
    } else if (clerk.mountSignIn) {
      clerk.mountSignIn($('sign-in'), { forceRedirectUrl: location.href, signUpForceRedirectUrl: location.href });
    }
  }

  function inspect() {
    return post('link/api/inspect', { code: code }).then(function (r) {
      if (r.data && r.data.ok) {
        ready = true;
        $('identity').textContent = 'This links ' + r.data.platform + ' identity ' + r.data.displayName + ' to the account you sign in with.';
      } else {
        $('identity').textContent = '';
        say((r.data && r.data.sentence) || 'That link code could not be checked.', 'failed');
      }
    });
  }

  function start() {
    if (!code) {
      $('identity').textContent = 'Enter the code /link gave you in the chat.';
      $('code-form').hidden = false;
      $('code-form').addEventListener('submit', function (e) {
        e.preventDefault();
        location.search = '?code=' + encodeURIComponent($('code-input').value.trim());
      });
      return;
    }
    var checked = inspect();
    waitForClerk()
      .then(function (clerk) {
        return Promise.resolve(clerk.load()).then(function () { return checked; }).then(function () {
          showAccount(clerk);
          if (clerk.addListener) clerk.addListener(function () { showAccount(clerk); });
          $('confirm').addEventListener('click', function () {
            $('confirm').disabled = true;
            say('Linking…');
            Promise.resolve(clerk.session && clerk.session.getToken())
              .then(function (token) { return post('link/api/confirm', { code: code }, token); })
              .then(function (r) {
                var ok = r.data && r.data.ok;
                say((r.data && r.data.sentence) || 'Linking failed. Please try again.', ok ? 'linked' : 'failed');
                // A failure on our side (5xx) or a sign-in to renew (401) leaves the code usable: press again.
                var again = !ok && (r.status >= 500 || r.status === 401);
                $('confirm').hidden = !again;
                $('confirm').disabled = false;
              })
              .catch(function () {
                $('confirm').disabled = false;
                say('The server could not be reached. Please try again.', 'failed');
              });
          });
        });
      })
      .catch(function () {
        say('The sign-in could not load. Check your connection and reload the page.', 'failed');
      });
  }

  start();
})();
`;
