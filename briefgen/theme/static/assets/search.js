// The search page: finds articles with the site's own Pagefind index (no request leaves the
// site). Results show title, date, source and an excerpt; filters narrow them by topic and
// source; the words and filters stay in the address, so a search can be shared.
(function () {
  "use strict";
  var form = document.querySelector("form.search-form");
  if (!form) return;
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var words = form.elements.namedItem("q");
  var filters = { topic: form.elements.namedItem("topic"), source: form.elements.namedItem("source") };
  var asked = new URLSearchParams(location.search);
  var pagefind = null;
  var latest = 0;
  words.value = asked.get("q") || "";

  function say(text) {
    status.textContent = text;
  }

  async function load() {
    var module = await import(new URL(form.dataset.index, location.href).href);
    await module.options({ baseUrl: new URL(form.dataset.root, location.href).pathname });
    await module.init();
    return module;
  }

  function fillFilters(available) {
    Object.keys(filters).forEach(function (name) {
      var select = filters[name];
      var counts = available[name] || {};
      Object.keys(counts).sort().forEach(function (value) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = value + " (" + counts[value] + ")";
        select.appendChild(option);
      });
      select.value = asked.get(name) || "";
      if (select.selectedIndex < 0) select.value = "";
    });
  }

  // Pagefind's excerpt is text with <mark> around the words found: keep exactly that.
  function excerpt(html) {
    var parsed = new DOMParser().parseFromString(html, "text/html").body;
    var paragraph = document.createElement("p");
    paragraph.className = "excerpt";
    parsed.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        paragraph.appendChild(mark);
      } else {
        paragraph.appendChild(document.createTextNode(node.textContent));
      }
    });
    return paragraph;
  }

  function result(data) {
    var item = document.createElement("li");
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    heading.appendChild(link);
    item.appendChild(heading);
    var about = [data.meta && data.meta.date, data.meta && data.meta.source].filter(Boolean);
    if (about.length) {
      var meta = document.createElement("p");
      meta.className = "meta";
      meta.textContent = about.join(" · ");
      item.appendChild(meta);
    }
    item.appendChild(excerpt(data.excerpt || ""));
    return item;
  }

  async function run() {
    var turn = ++latest;
    var query = words.value.trim();
    var chosen = {};
    var address = new URL(location.href);
    address.search = "";
    if (query) address.searchParams.set("q", query);
    Object.keys(filters).forEach(function (name) {
      if (filters[name].value) {
        chosen[name] = filters[name].value;
        address.searchParams.set(name, filters[name].value);
      }
    });
    history.replaceState(null, "", address);
    if (!pagefind) return;
    if (!query && !Object.keys(chosen).length) {
      list.replaceChildren();
      say("");
      return;
    }
    var search = await pagefind.search(query || null, { filters: chosen });
    var shown = await Promise.all(search.results.slice(0, 30).map(function (r) { return r.data(); }));
    if (turn !== latest) return; // a newer search has started
    list.replaceChildren.apply(list, shown.map(result));
    var found = search.results.length;
    say(found === 0 ? "No article matches." :
      found === 1 ? "1 article found." :
      found + " articles found" + (found > shown.length ? ", the first " + shown.length + " shown." : "."));
  }

  var pending = null;
  function soon() {
    clearTimeout(pending);
    pending = setTimeout(run, 200);
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
  words.addEventListener("input", soon);
  Object.keys(filters).forEach(function (name) {
    filters[name].addEventListener("change", run);
  });

  say("Loading the search index…");
  load()
    .then(function (module) {
      pagefind = module;
      return module.filters();
    })
    .then(function (available) {
      fillFilters(available);
      say("");
      return run();
    })
    .catch(function () {
      say(location.protocol === "file:"
        ? "Search needs the site served over HTTP: it cannot run from a page opened from disk. Every article is listed in the archive."
        : "The search index could not be loaded (it is made when the site is built with search on).");
    });
})();
