// briefgen serve: live reload. Injected into served pages only, never into built files.
(function () {
  "use strict";
  var here = location.pathname;
  var scrollKey = "briefgen-scroll:" + here;
  var saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    var restore = function () { window.scrollTo(0, parseInt(saved, 10) || 0); };
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", restore);
    } else {
      restore();
    }
  }

  function pageFile(path) {
    // "/a/" and "/a/index.html" are one page; compare without the leading slash.
    var file = decodeURIComponent(path).replace(/^\//, "");
    return file === "" || file.endsWith("/") ? file + "index.html" : file;
  }

  function reload() {
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    location.reload();
  }

  var LIVE = "script[src='/__briefgen/live.js']";
  var RELOAD_MARK = /[?&]briefgen-reload=\d+/g;
  // What a head says about the page without changing how it looks or runs: taken over from
  // the new page as it is, never a reason to reload.
  var ABOUT = "title, meta[name]:not([name='viewport']), meta[property], " +
    "link[rel='canonical'], link[rel='alternate'], link[rel='prev'], link[rel='next'], " +
    "script[type='application/ld+json']";
  function hasOwnScripts(doc) {
    var scripts = doc.querySelectorAll("script:not([type='application/ld+json'])");
    return scripts.length > doc.querySelectorAll(LIVE).length;
  }
  // A stylesheet's published name carries a hash of its bytes: a changed stylesheet is a
  // new name in every page, and the same stylesheet still.
  var HASHED = /\.[0-9a-f]{10}\.(css|js)(?=$|[?#])/;
  function plainName(href) {
    return href.replace(RELOAD_MARK, "").replace(HASHED, ".$1");
  }
  function headText(doc) {
    var head = doc.head.cloneNode(true);
    head.querySelectorAll(ABOUT).forEach(function (t) { t.remove(); });
    head.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      link.setAttribute("href", plainName(link.getAttribute("href")));
    });
    return head.innerHTML.replace(/\s+/g, " ").trim();
  }
  function bodyText(doc) {
    var body = doc.body.cloneNode(true);
    body.querySelectorAll(LIVE + ", #briefgen-error-overlay").forEach(function (t) { t.remove(); });
    return body.innerHTML;
  }
  // Put the new page's stylesheets in place of the same ones under their old names: the new
  // one loads first, so the page never shows unstyled.
  function followRenamedStylesheets(fresh) {
    var wanted = {};
    fresh.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      wanted[plainName(link.getAttribute("href"))] = link.getAttribute("href");
    });
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var written = link.getAttribute("href");
      var renamed = wanted[plainName(written)];
      if (!renamed || renamed === written.replace(RELOAD_MARK, "")) { return; }
      var next = link.cloneNode();
      next.setAttribute("href", renamed);
      next.addEventListener("load", function () { link.remove(); });
      link.after(next);
    });
  }

  // Fetch the page again and put its new body in place of the old one: faster than a reload,
  // and nothing moves. Only for pages without scripts of their own (which a swap would not
  // run) and whose head did not change; anything else reloads.
  function refresh() {
    fetch(location.href, { cache: "no-store" }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html");
      if (hasOwnScripts(document) || hasOwnScripts(fresh) || headText(fresh) !== headText(document)) {
        reload();
        return;
      }
      followRenamedStylesheets(fresh);
      document.head.querySelectorAll(ABOUT).forEach(function (t) { t.remove(); });
      fresh.head.querySelectorAll(ABOUT).forEach(function (t) {
        document.head.appendChild(document.adoptNode(t));
      });
      if (bodyText(fresh) === bodyText(document)) { return; }  // only its stylesheet changed
      var x = window.scrollX, y = window.scrollY;
      fresh.querySelectorAll(LIVE).forEach(function (s) { s.remove(); });
      document.body.replaceWith(document.adoptNode(fresh.body));
      if (overlay) { document.body.appendChild(overlay); }
      window.scrollTo(x, y);
      document.documentElement.setAttribute("data-briefgen-refreshed", String(Date.now()));
    }).catch(reload);
  }

  function swapStylesheets(changed) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    var swapped = 0;
    links.forEach(function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) { return; }
      if (changed.indexOf(pageFile(url.pathname)) === -1) { return; }
      // The address as the page wrote it (relative), with a fresh marker to bypass caches.
      var written = link.getAttribute("href").replace(RELOAD_MARK, "");
      var fresh = link.cloneNode();
      fresh.setAttribute("href", written + (written.indexOf("?") === -1 ? "?" : "&") +
        "briefgen-reload=" + Date.now());
      fresh.addEventListener("load", function () { link.remove(); });
      link.after(fresh);
      swapped += 1;
    });
    return swapped;
  }

  var overlay = null;
  function showErrors(messages) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "briefgen-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(20,0,0,.92);color:#fff;font:14px/1.5 ui-monospace,monospace;" +
        "padding:2rem;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";  // the messages are text, never markup
    var title = document.createElement("strong");
    title.textContent = "briefgen: the last build failed; this page is the last good one.\n\n";
    overlay.appendChild(title);
    var list = document.createElement("div");
    list.textContent = messages.join("\n");
    overlay.appendChild(list);
  }
  function clearErrors() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  function usedFiles() {
    // What this page includes besides its stylesheets: images, scripts, media, frames.
    var found = [];
    var selector = "img[src], script[src], source[src], video[src], audio[src], " +
      "iframe[src], embed[src], object[data], link[rel~='icon'][href]";
    document.querySelectorAll(selector).forEach(function (element) {
      var value = element.getAttribute("src") || element.getAttribute("href") ||
        element.getAttribute("data");
      var url = new URL(value, location.href);
      if (url.origin === location.origin) { found.push(pageFile(url.pathname)); }
    });
    return found;
  }

  var mine = pageFile(here);
  var source = new EventSource("/__briefgen/events");
  source.addEventListener("build", function (event) {
    var data = JSON.parse(event.data);
    if (data.errors && data.errors.length) {
      showErrors(data.errors);  // shown again after a reload: each connection gets the state
    } else {
      clearErrors();
    }
    var changed = data.changed || [];
    var styles = changed.filter(function (f) { return /\.css$/.test(f); });
    var included = usedFiles().filter(function (f) {
      return !/\.css$/.test(f) && changed.indexOf(f) !== -1;
    });
    if (included.length) {
      reload();
      return;
    }
    if (changed.indexOf(mine) !== -1) {
      refresh();
      return;
    }
    if (styles.length) { swapStylesheets(styles); }
  });
  source.addEventListener("ready", function () {
    document.documentElement.setAttribute("data-briefgen-live", "connected");
  });
})();
