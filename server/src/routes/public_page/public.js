// The public page «Вы сказали — мы сделали» (/r/<org>). A file, not inline script, so the
// Content-Security-Policy (script-src 'self') allows it. It does two things:
// - offline after one visit: registers the app's service worker and keeps this page and its
//   two files in the "otklik-public" cache, which the worker answers /r/… from when the
//   network fails and never deletes on a new version (pwa/sw/sw.template.js);
// - «Вернуться назад»: shown when there is a page to go back to (the thanks screen of a
//   survey, usually); the referrer is not sent (Referrer-Policy: no-referrer), so history it is.
(() => {
  const back = document.getElementById("back");
  if (back && history.length > 1) {
    back.hidden = false;
    back.addEventListener("click", () => history.back());
  }
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(() => {});
  if ("caches" in window) {
    caches
      .open("otklik-public")
      .then((cache) => cache.addAll([location.pathname, "/r/assets/public.css", "/r/assets/public.js"]))
      .catch(() => {});
  }
})();
