/* Search pickers (jiguan/widgets.py): a text box that finds records as you type, instead of a
 * <select> with thousands of options. The page holds only what is chosen (hidden inputs); the
 * list comes from the field's search address (data-url) and follows the WAI-ARIA combobox pattern:
 * arrow keys move, Enter picks, Escape closes, the screen reader hears the active option and the
 * number found. When the form's date field (data-date-field) changes, the search and the chosen
 * ones are asked again for that day: an organization that did not exist then is taken out.
 * Loaded by base.html as a file (no inline script, no build step); without it the text box still
 * posts the name typed and the server looks it up.
 */
(function () {
  "use strict";

  var DELAY = 200;

  function text(tag, className, content) {
    var element = document.createElement(tag);
    if (className) { element.className = className; }
    if (content) { element.textContent = content; }
    return element;
  }

  function Picker(root) {
    this.root = root;
    this.url = root.getAttribute("data-url");
    this.name = root.getAttribute("data-name");
    this.multiple = root.hasAttribute("data-multiple");
    this.input = root.querySelector("[role=combobox]");
    this.list = root.querySelector("[role=listbox]");
    this.status = root.querySelector(".picker-status");
    this.chosenList = root.querySelector(".picker-chosen");
    this.hidden = this.multiple ? null : root.querySelector("input[type=hidden]");
    this.form = root.closest("form");
    var dateName = root.getAttribute("data-date-field");
    this.dateInput = dateName && this.form ? this.form.elements.namedItem(dateName) : null;
    this.results = [];
    this.active = -1;
    this.timer = null;
    this.asked = 0;
    if (!this.input.disabled) { this.bind(); }
  }

  Picker.prototype.day = function () {
    var value = this.dateInput ? this.dateInput.value : "";
    return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : "";
  };

  Picker.prototype.params = function () {
    var params = new URLSearchParams();
    ["kinds", "exclude", "current"].forEach(function (key) {
      var value = this.root.getAttribute("data-" + key);
      if (value) { params.set(key, value); }
    }, this);
    var day = this.day();
    if (day) {
      params.set("day", day);
      if (this.root.getAttribute("data-date-mode") === "since") { params.set("since", "1"); }
    }
    return params;
  };

  /* One request at a time for the whole page, in order: a search per keystroke, or every picker
   * asking again when the date changes, never piles up on the server. A request whose answer is
   * no longer wanted by the time its turn comes (`wanted` says so) is not sent. */
  var line = Promise.resolve();

  Picker.prototype.ask = function (params, wanted) {
    var url = this.url + "?" + params.toString();
    function send() {
      if (wanted && !wanted()) { return null; }
      return fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      }).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      });
    }
    var answer = line.then(send, send);
    line = answer.catch(function () { return null; });
    return answer;
  };

  Picker.prototype.chosen = function () {
    if (this.multiple) {
      return Array.prototype.map.call(
        this.chosenList.querySelectorAll("input[type=hidden]"), function (input) { return input.value; });
    }
    return this.hidden.value ? [this.hidden.value] : [];
  };

  Picker.prototype.search = function () {
    var self = this;
    var params = this.params();
    var query = this.input.value.trim();
    params.set("q", query);
    var asked = ++this.asked;
    this.list.setAttribute("aria-busy", "true");
    this.say("正在查找…", true);
    this.ask(params, function () { return asked === self.asked; }).then(function (data) {
      if (data && asked === self.asked) {
        self.show(data.results, data.more);
        self.list.setAttribute("data-query", query);
        self.list.removeAttribute("aria-busy");
      }
    }).catch(function () {
      if (asked === self.asked) {
        self.list.removeAttribute("aria-busy");
        self.say("查找失败，请稍后重试；也可以输入完整名称后直接保存。");
      }
    });
  };

  Picker.prototype.show = function (results, more) {
    var self = this;
    var chosen = this.chosen();
    this.results = results.filter(function (item) {
      return !self.multiple || chosen.indexOf(String(item.id)) === -1;
    });
    this.list.textContent = "";
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.results.forEach(function (item, index) {
      var option = text("li", "list-group-item list-group-item-action picker-option");
      option.id = self.list.id + "-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.appendChild(text("span", "picker-name", item.name));
      if (item.detail) { option.appendChild(text("small", "picker-detail text-muted", item.detail)); }
      option.addEventListener("mousedown", function (event) { event.preventDefault(); });
      option.addEventListener("click", function () { self.choose(item); });
      self.list.appendChild(option);
    });
    if (!this.results.length) {
      this.list.appendChild(text("li", "list-group-item text-muted picker-empty", this.day()
        ? "没有找到" + this.day() + "时符合条件的记录" : "没有找到符合条件的记录"));
    }
    this.open(true);
    this.say(this.results.length ? "找到" + this.results.length + "项" +
      (more ? "，只列出前" + this.results.length + "项，请输入更多字缩小范围" : "") +
      "；用上下方向键选择，回车确认。" : "没有找到。");
  };

  Picker.prototype.open = function (yes) {
    this.list.hidden = !yes;
    if (!yes && this.status.textContent.indexOf("找到") === 0) { this.say(""); }
    this.input.setAttribute("aria-expanded", yes ? "true" : "false");
    if (!yes) {
      this.active = -1;
      this.input.removeAttribute("aria-activedescendant");
    }
  };

  /* The live region: read out by screen readers; shown on the page too unless `quiet` (a mere
   * confirmation of what the user just did, which the page already shows). */
  Picker.prototype.say = function (message, quiet) {
    this.status.textContent = message;
    this.status.classList.toggle("visually-hidden", !!quiet);
  };

  Picker.prototype.highlight = function (index) {
    var options = this.list.querySelectorAll("[role=option]");
    if (!options.length) { return; }
    this.active = (index + options.length) % options.length;
    Array.prototype.forEach.call(options, function (option, i) {
      option.setAttribute("aria-selected", i === this.active ? "true" : "false");
      option.classList.toggle("active", i === this.active);
    }, this);
    var current = options[this.active];
    this.input.setAttribute("aria-activedescendant", current.id);
    current.scrollIntoView({ block: "nearest" });
  };

  Picker.prototype.choose = function (item) {
    if (this.multiple) {
      this.addChip(item.id, item.name);
      this.input.value = "";
    } else {
      this.hidden.value = item.id;
      this.input.value = item.name;
    }
    this.say("已选择" + item.name + "。", true);
    this.open(false);
    this.input.focus();
    this.root.dispatchEvent(new CustomEvent("picker:change", { bubbles: true, detail: item }));
  };

  Picker.prototype.addChip = function (id, name) {
    var chip = text("li", "picker-chip");
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = this.name;
    hidden.value = id;
    var remove = text("button", "btn-close");
    remove.type = "button";
    remove.setAttribute("data-remove", "");
    remove.setAttribute("aria-label", "移除" + name);
    chip.appendChild(hidden);
    chip.appendChild(text("span", "", name));
    chip.appendChild(remove);
    this.chosenList.appendChild(chip);
  };

  Picker.prototype.remove = function (chip, message) {
    var name = chip.querySelector("span").textContent;
    chip.parentNode.removeChild(chip);
    this.say(message || "已移除" + name + "。", !message);
    this.root.dispatchEvent(new CustomEvent("picker:change", { bubbles: true, detail: null }));
  };

  /* The record's day changed: the chosen ones are read again for that day (named as then; taken
   * out when they did not exist), and an open list is searched again. */
  Picker.prototype.recheck = function (quiet) {
    var self = this;
    var ids = this.chosen();
    if (!this.list.hidden) { this.search(); }
    if (!ids.length || !this.day()) { return; }
    var params = this.params();
    params.set("ids", ids.join(","));
    this.ask(params).then(function (data) {
      if (!data) { return; }
      var gone = [];
      data.results.forEach(function (item) {
        var id = String(item.id);
        if (self.multiple) {
          var input = self.chosenList.querySelector("input[value='" + id + "']");
          if (!input) { return; }
          var chip = input.parentNode;
          chip.querySelector("span").textContent = item.name;
          chip.querySelector("[data-remove]").setAttribute("aria-label", "移除" + item.name);
          if (!item.exists && !quiet) {
            gone.push(item.name);
            chip.parentNode.removeChild(chip);
          }
        } else if (self.hidden.value === id) {
          self.input.value = item.name;
          if (!item.exists && !quiet) {
            gone.push(item.name);
            self.hidden.value = "";
            self.input.value = "";
          }
        }
      });
      var notExisting = data.results.filter(function (item) { return !item.exists; });
      if (gone.length) {
        self.say("“" + gone.join("、") + "”在" + self.day() + "不存在（尚未成立或已撤销），已移除，请重新选择。");
        self.root.dispatchEvent(new CustomEvent("picker:change", { bubbles: true, detail: null }));
      } else if (quiet && notExisting.length) {
        self.say("“" + notExisting.map(function (item) { return item.name; }).join("、") +
          "”在" + self.day() + "不存在（尚未成立或已撤销）。");
      }
    }).catch(function () { /* the server checks again on saving */ });
  };

  Picker.prototype.bind = function () {
    var self = this;
    var input = this.input;
    var textName = this.name + "__text";
    input.addEventListener("input", function () {
      input.name = textName;
      if (!self.multiple) { self.hidden.value = ""; }
      clearTimeout(self.timer);
      self.timer = setTimeout(function () { self.search(); }, DELAY);
    });
    input.addEventListener("focus", function () {
      if (!input.value) { self.search(); }
    });
    input.addEventListener("blur", function () {
      setTimeout(function () { self.open(false); }, 150);
    });
    input.addEventListener("keydown", function (event) {
      var isOpen = !self.list.hidden;
      if (event.key === "ArrowDown" || event.key === "Down") {
        event.preventDefault();
        if (!isOpen) { self.search(); } else { self.highlight(self.active + 1); }
      } else if (event.key === "ArrowUp" || event.key === "Up") {
        event.preventDefault();
        if (isOpen) { self.highlight(self.active - 1); }
      } else if (event.key === "Enter") {
        if (isOpen && self.active >= 0 && self.results[self.active]) {
          event.preventDefault();
          self.choose(self.results[self.active]);
        } else if (isOpen && self.results.length === 1) {
          event.preventDefault();
          self.choose(self.results[0]);
        }
      } else if (event.key === "Escape" || event.key === "Esc") {
        if (isOpen) { event.preventDefault(); self.open(false); }
      } else if (event.key === "Backspace" && self.multiple && !input.value) {
        var chips = self.chosenList.querySelectorAll(".picker-chip");
        if (chips.length) { self.remove(chips[chips.length - 1]); }
      }
    });
    if (this.chosenList) {
      this.chosenList.addEventListener("click", function (event) {
        var button = event.target.closest("[data-remove]");
        if (button) {
          self.remove(button.closest(".picker-chip"));
          input.focus();
        }
      });
    }
    if (this.dateInput) {
      this.dateInput.addEventListener("change", function () { self.recheck(false); });
      this.recheck(true);
    }
    if (this.form) {
      // A picked value needs no typed name beside it (keeps a filter's address short).
      this.form.addEventListener("submit", function () {
        var picked = self.multiple ? !input.value.trim() : !!self.hidden.value;
        if (picked) { input.removeAttribute("name"); }
      });
    }
  };

  function start(scope) {
    Array.prototype.forEach.call((scope || document).querySelectorAll("[data-picker]"), function (root) {
      if (!root.picker) { root.picker = new Picker(root); }
    });
  }

  window.jiguanPickers = { start: start };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { start(); });
  } else {
    start();
  }
})();
