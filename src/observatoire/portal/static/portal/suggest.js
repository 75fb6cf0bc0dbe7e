/* Territory suggestions under <input data-suggest="API URL">: while the user types a
   name, a postcode or a code, a list of links (the same page with this field set to the
   suggested territory) comes under the field. Links, not a listbox: keyboard and screen
   readers use them as any link; Down arrow from the field goes to the first one, Up/Down
   move between them, Escape goes back to the field. Without JavaScript the page accepts
   a name and offers the same links when it is ambiguous. */
(function () {
  "use strict";

  function pageWith(input, id) {
    var form = input.form;
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.type === "submit") {
        return;
      }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) {
        return;
      }
      params.append(el.name, el === input ? id : el.value);
    });
    return (form.getAttribute("action") || window.location.pathname) + "?" + params.toString();
  }

  function setup(input) {
    var list = document.createElement("ul");
    list.className = "suggestions";
    list.id = input.id + "-suggestions";
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "fr-sr-only";
    status.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", status);
    input.insertAdjacentElement("afterend", list);
    var timer = null;
    var asked = "";

    function links() {
      return list.querySelectorAll("a");
    }

    function show(items) {
      list.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = pageWith(input, item.id);
        a.textContent = item.label || item.name;
        var kind = document.createElement("span");
        kind.className = "suggestions__niveau";
        kind.textContent = " — " + item.kind + " (" + item.id + ")";
        a.appendChild(kind);
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      status.textContent = items.length
        ? items.length + " suggestion" + (items.length > 1 ? "s" : "") + " sous le champ."
        : "Aucune suggestion.";
    }

    function ask() {
      var q = input.value.trim();
      if (q.length < 2 || q === asked) {
        if (q.length < 2) {
          list.hidden = true;
        }
        return;
      }
      asked = q;
      var url = input.getAttribute("data-suggest") + "?" + new URLSearchParams({ q: q, limit: "8" });
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) {
          return r.ok ? r.json() : [];
        })
        .then(function (items) {
          if (input.value.trim() === q) {
            show(items);
          }
        })
        .catch(function () {
          list.hidden = true;
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 200);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && !list.hidden && links().length) {
        e.preventDefault();
        links()[0].focus();
      } else if (e.key === "Escape") {
        list.hidden = true;
      }
    });
    list.addEventListener("keydown", function (e) {
      var all = Array.prototype.slice.call(links());
      var i = all.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && i < all.length - 1) {
        e.preventDefault();
        all[i + 1].focus();
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        (i > 0 ? all[i - 1] : input).focus();
      } else if (e.key === "Escape") {
        list.hidden = true;
        input.focus();
      }
    });
  }

  document.querySelectorAll("input[data-suggest]").forEach(setup);
})();
