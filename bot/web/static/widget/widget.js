/*
 * Sundhedshus-assistentens chat-widget.
 *
 * Embed with one tag (see docs/website.md):
 *   <script src="https://.../widget/widget.js" data-rasa-url="https://rasa.example.dk"
 *           data-title="Spørg om sundhedshuse" defer></script>
 *
 * Talks to Rasa's socket.io channel (session_request -> session_confirm,
 * user_uttered -> bot_uttered). Bot text is never put into innerHTML: the small
 * Markdown subset (**fed**, [tekst](url), line breaks) is built as DOM nodes.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.sundhedshusChat) {
    return;
  }

  // The widget's words, from bot/copy/widget.yml: the web server puts them in here when it
  // serves this file (bot/web/widget_texts.py). There is no Danish in this script itself.
  var TEXT = /* WIDGET_TEXTS */;
  var CARD = TEXT.house_card;
  var EVENT = TEXT.event_card;

  // "{name}" placeholders in a copy text, filled in.
  function fillIn(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  var config = {
    rasaUrl: script.getAttribute("data-rasa-url") || "http://localhost:5005",
    socketPath: script.getAttribute("data-socket-path") || "/socket.io/",
    title: script.getAttribute("data-title") || TEXT.title,
    launcherLabel: script.getAttribute("data-launcher-label") || TEXT.launcher,
    greeting: script.getAttribute("data-greeting") || TEXT.greeting,
    openOnLoad: script.getAttribute("data-open") === "true",
    // The privacy page; by default the one served next to the widget (bot/web/server.py).
    privacyUrl: script.getAttribute("data-privacy-url") || new URL("/privatliv", script.src).href,
  };
  var assetBase = new URL(".", script.src).href;
  var STORAGE_KEY = "sundhedshus-chat:v1:" + config.rasaUrl;
  var MAX_STORED_MESSAGES = 200;
  var TYPING_TIMEOUT_MS = 20000;
  var RESTORED_NOTICE_MS = 6000;
  var SAFE_PROTOCOLS = ["http:", "https:", "mailto:", "tel:"];

  // ---------------------------------------------------------------- storage

  function loadState() {
    try {
      var stored = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) || "null");
      if (stored && typeof stored.sessionId === "string" && Array.isArray(stored.messages)) {
        return stored;
      }
    } catch (error) {
      /* storage blocked or corrupt: start a new conversation */
    }
    return { sessionId: newSessionId(), messages: [], open: false };
  }

  function saveState() {
    state.messages = state.messages.slice(-MAX_STORED_MESSAGES);
    try {
      window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (error) {
      /* storage full or blocked: the conversation still works, it just is not kept */
    }
  }

  function newSessionId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  // ---------------------------------------------------------------- DOM helpers

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function visuallyHidden(text) {
    return el("span", "shc-sr-only", text);
  }

  function safeUrl(raw) {
    try {
      var url = new URL(String(raw), window.location.href);
      return SAFE_PROTOCOLS.indexOf(url.protocol) >= 0 ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function link(label, rawUrl) {
    var href = safeUrl(rawUrl);
    if (!href) {
      return document.createTextNode(label);
    }
    var anchor = el("a", "shc-link", label);
    anchor.href = href;
    if (/^https?:/.test(href)) {
      anchor.target = "_blank";
      anchor.rel = "noopener noreferrer";
      anchor.appendChild(visuallyHidden(TEXT.new_window));
    }
    return anchor;
  }

  function phoneLink(phone) {
    return link(phone, "tel:" + String(phone).replace(/[^\d+]/g, ""));
  }

  // Markdown subset: **bold**, [label](url), bare http(s) links, "- " bullets, line breaks.
  var INLINE_SOURCE =
    /\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)|(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]])/.source;

  function appendInline(parent, text) {
    var pattern = new RegExp(INLINE_SOURCE, "g");
    var last = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      if (match[1] !== undefined) {
        var strong = el("strong");
        appendInline(strong, match[1]);
        parent.appendChild(strong);
      } else if (match[2] !== undefined) {
        parent.appendChild(link(match[2], match[3]));
      } else {
        parent.appendChild(link(match[4], match[4]));
      }
      last = match.index + match[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function appendRichText(parent, text) {
    String(text)
      .split(/\r?\n/)
      .forEach(function (line, index) {
        if (index > 0) {
          parent.appendChild(el("br"));
        }
        var bullet = /^\s*[-*•]\s+/.exec(line);
        if (bullet) {
          parent.appendChild(document.createTextNode("• "));
          line = line.slice(bullet[0].length);
        }
        appendInline(parent, line);
      });
  }

  // ---------------------------------------------------------------- house card
  // The payload's shape is defined once, in bot/card_payload.py; its texts are worded by the bot
  // (bot/copy/), so the card says what the text answer says. Only labels are the widget's own.

  function cardRow(list, label, fill) {
    var term = el("dt", "shc-card-label", label);
    var value = el("dd", "shc-card-value");
    fill(value);
    list.appendChild(term);
    list.appendChild(value);
  }

  function formatDistance(km) {
    var rounded = km < 10 ? Math.round(km * 10) / 10 : Math.round(km);
    return fillIn(CARD.distance, { km: String(rounded).replace(".", ",") });
  }

  function renderHouseCard(house) {
    var card = el("article", "shc-card");
    var title = el("h3", "shc-card-title", house.name || CARD.house);
    card.setAttribute("aria-label", house.name || CARD.house);
    card.appendChild(title);

    if (house.service && (house.service.name || house.service.provider)) {
      var service = el("p", "shc-card-service");
      service.textContent = [house.service.name, house.service.provider].filter(Boolean).join(" – ");
      card.appendChild(service);
    }

    if (house.notice) {
      var notice = el("p", "shc-card-notice");
      notice.setAttribute("role", "note");
      notice.textContent = house.notice;
      card.appendChild(notice);
    }

    // `status: null` (hours unknown) is said once, in the hours row, not again as a status line.
    var statusKnown = house.status !== null;
    if (statusKnown && (house.open_now === true || house.open_now === false || house.status_text)) {
      var status = el("p", "shc-card-status");
      var hasBadge = house.open_now === true || house.open_now === false;
      if (hasBadge) {
        var badge = el("span", "shc-badge " + (house.open_now ? "shc-badge-open" : "shc-badge-closed"));
        badge.textContent = house.open_now ? CARD.open_now : CARD.closed_now;
        status.appendChild(badge);
      }
      // Beside the badge, the sentence without "åbent nu"/"lukket nu" (so it is not said twice).
      var statusWords = hasBadge && house.status_detail ? house.status_detail : house.status_text;
      if (statusWords) {
        status.appendChild(document.createTextNode(" " + statusWords));
      }
      card.appendChild(status);
    }

    var details = el("dl", "shc-card-details");
    var address = house.address;
    if (address && (address.street || address.town)) {
      cardRow(details, CARD.address, function (dd) {
        var line = [address.street, [address.postcode, address.town].filter(Boolean).join(" ")]
          .filter(Boolean)
          .join(", ");
        dd.appendChild(document.createTextNode(line));
        if (house.distance_km !== undefined && house.distance_km !== null && !isNaN(house.distance_km)) {
          dd.appendChild(document.createTextNode(" (" + formatDistance(Number(house.distance_km)) + ")"));
        }
        var mapUrl = house.map_url || "https://www.openstreetmap.org/search?query=" + encodeURIComponent(line);
        dd.appendChild(el("br"));
        // A link text that makes sense on its own (screen readers list links out of context).
        dd.appendChild(link(fillIn(CARD.map, { house: house.name || CARD.this_place }), mapUrl));
      });
    }
    if (Array.isArray(house.hours) && house.hours.length) {
      cardRow(details, CARD.hours, function (dd) {
        house.hours.forEach(function (row, index) {
          if (index > 0) {
            dd.appendChild(el("br"));
          }
          dd.appendChild(document.createTextNode([row.days, row.hours].filter(Boolean).join(": ")));
        });
      });
    } else if (house.hours_text) {
      cardRow(details, CARD.hours, function (dd) {
        dd.textContent = house.hours_text;
      });
    }
    var booking = house.booking;
    if (booking && booking.text) {
      cardRow(details, CARD.booking, function (dd) {
        dd.appendChild(document.createTextNode(booking.text));
        if (booking.phone) {
          dd.appendChild(document.createTextNode(CARD.booking_phone));
          dd.appendChild(phoneLink(booking.phone));
        }
        if (booking.note) {
          dd.appendChild(document.createTextNode(". " + booking.note));
        }
        if (booking.url) {
          dd.appendChild(el("br"));
          dd.appendChild(link(CARD.book_online, booking.url));
        }
      });
    }
    var referral = house.referral;
    if (referral && referral.text) {
      cardRow(details, CARD.referral, function (dd) {
        dd.textContent = referral.text;
      });
    }
    var entry = house.entry_point;
    if (entry && (entry.name || entry.phone || entry.email)) {
      cardRow(details, CARD.entry_point, function (dd) {
        if (entry.name) {
          dd.appendChild(document.createTextNode(entry.name));
        }
        if (entry.phone) {
          dd.appendChild(document.createTextNode(entry.name ? CARD.phone_after_name : CARD.phone));
          dd.appendChild(phoneLink(entry.phone));
        }
        if (entry.email) {
          dd.appendChild(el("br"));
          dd.appendChild(link(entry.email, "mailto:" + entry.email));
        }
        if (entry.hours_text) {
          dd.appendChild(el("br"));
          dd.appendChild(document.createTextNode(fillIn(CARD.phone_hours, { hours: entry.hours_text })));
        }
        if (entry.note) {
          dd.appendChild(el("br"));
          dd.appendChild(document.createTextNode(entry.note));
        }
      });
    }
    if (house.phone || house.website) {
      cardRow(details, CARD.contact, function (dd) {
        if (house.phone) {
          dd.appendChild(document.createTextNode(CARD.phone));
          dd.appendChild(phoneLink(house.phone));
        }
        if (house.website) {
          if (house.phone) {
            dd.appendChild(el("br"));
          }
          dd.appendChild(link(CARD.website, house.website));
        }
      });
    }
    if (details.childNodes.length) {
      card.appendChild(details);
    }
    return card;
  }

  function renderEventCard(event) {
    var card = el("article", "shc-card");
    card.setAttribute("aria-label", event.title || EVENT.event);
    card.appendChild(el("h3", "shc-card-title", event.title || EVENT.event));
    if (event.notice) {
      var notice = el("p", "shc-card-notice");
      notice.setAttribute("role", "note");
      notice.textContent = event.notice;
      card.appendChild(notice);
    }
    var details = el("dl", "shc-card-details");
    [
      [EVENT.when, event.when],
      [EVENT.venue, event.venue],
      [EVENT.audience, event.audience],
      [EVENT.deadline, event.deadline],
      [EVENT.places, event.places],
    ].forEach(function (row) {
      if (row[1]) {
        cardRow(details, row[0], function (dd) {
          dd.textContent = String(row[1]);
        });
      }
    });
    card.appendChild(details);
    if (event.open_for_registration === false) {
      card.appendChild(el("p", "shc-card-status", EVENT.closed));
    }
    return card;
  }

  // ---------------------------------------------------------------- messages

  // Turns one bot_uttered payload into the stored message shape, or null if nothing to show.
  function messageFromBot(data) {
    if (!data || typeof data !== "object") {
      return null;
    }
    var custom = data.custom && typeof data.custom === "object" ? data.custom : null;
    if (!custom && data.type === "house_card") {
      custom = data; // Rasa's stock channel delivers json_message={"data": {...}} unwrapped
    }
    var message = { from: "bot" };
    if (typeof data.text === "string" && data.text.trim()) {
      message.text = data.text;
    }
    var buttons = data.quick_replies || data.buttons;
    if (Array.isArray(buttons) && buttons.length) {
      message.buttons = buttons
        .filter(function (b) {
          return b && b.title;
        })
        .map(function (b) {
          return { title: String(b.title), payload: String(b.payload || b.title) };
        });
    }
    if (custom && custom.type === "house_card" && custom.house && typeof custom.house === "object") {
      message.card = custom.house;
    } else if (custom && custom.type === "event_card" && custom.event && typeof custom.event === "object") {
      message.eventCard = custom.event;
    } else if (custom && typeof custom.text === "string" && !message.text) {
      message.text = custom.text;
    }
    var attachment = data.attachment;
    if (attachment && attachment.type === "image" && attachment.payload && attachment.payload.src) {
      message.image = String(attachment.payload.src);
    }
    if (!message.text && !message.buttons && !message.card && !message.eventCard && !message.image) {
      return null;
    }
    return message;
  }

  function renderMessage(message) {
    var item = el("div", "shc-message shc-from-" + (message.from === "user" ? "user" : "bot"));
    item.appendChild(visuallyHidden(message.from === "user" ? TEXT.you_wrote : TEXT.bot_wrote));
    if (message.text) {
      var bubble = el("p", "shc-bubble");
      if (message.from === "user") {
        bubble.textContent = message.text;
      } else {
        appendRichText(bubble, message.text);
      }
      item.appendChild(bubble);
    }
    if (message.image) {
      var src = safeUrl(message.image);
      if (src) {
        var image = el("img", "shc-image");
        image.src = src;
        image.alt = TEXT.image;
        item.appendChild(image);
      }
    }
    if (message.card) {
      item.appendChild(renderHouseCard(message.card));
    }
    if (message.eventCard) {
      item.appendChild(renderEventCard(message.eventCard));
    }
    if (message.buttons && message.buttons.length) {
      var group = el("div", "shc-choices");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", TEXT.choices);
      message.buttons.forEach(function (choice) {
        var button = el("button", "shc-choice", choice.title);
        button.type = "button";
        button.addEventListener("click", function () {
          sendMessage(choice.payload, choice.title);
          ui.input.focus();
        });
        group.appendChild(button);
      });
      item.appendChild(group);
    }
    return item;
  }

  // Answer buttons only make sense until the user says something else.
  function disableOldChoices() {
    var buttons = ui.log.querySelectorAll(".shc-choice");
    for (var i = 0; i < buttons.length; i += 1) {
      buttons[i].disabled = true;
    }
  }

  var replyStart = null; // the first bot message since the user last wrote

  function addMessage(message) {
    if (message.from === "user") {
      disableOldChoices();
    }
    state.messages.push(message);
    saveState();
    var item = renderMessage(message);
    ui.log.appendChild(item);
    if (message.from === "user") {
      replyStart = null;
      scrollToEnd();
    } else {
      replyStart = replyStart || item;
      // Show the end of the log, unless the answer is taller than the log: then its beginning.
      ui.log.scrollTop = Math.min(ui.log.scrollHeight, replyStart.offsetTop - ui.log.offsetTop);
    }
  }

  function restoreHistory() {
    state.messages.forEach(function (message) {
      if (message.from === "user") {
        disableOldChoices();
      }
      ui.log.appendChild(renderMessage(message));
    });
  }

  function scrollToEnd() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  // ---------------------------------------------------------------- connection

  var socket = null;
  var ready = false; // connected and session confirmed
  var everConnected = false;
  var typingTimer = null;
  var noticeTimer = null;
  var noticeKind = null;

  function showNotice(text, kind) {
    window.clearTimeout(noticeTimer);
    noticeKind = kind;
    ui.notice.textContent = text;
    ui.notice.className = "shc-notice shc-notice-" + kind;
    ui.notice.hidden = false;
    if (kind === "ok") {
      noticeTimer = window.setTimeout(hideNotice, RESTORED_NOTICE_MS);
    }
  }

  function hideNotice() {
    noticeKind = null;
    ui.notice.hidden = true;
    ui.notice.textContent = "";
  }

  function setTyping(on) {
    window.clearTimeout(typingTimer);
    ui.typing.hidden = !on;
    if (on) {
      typingTimer = window.setTimeout(function () {
        setTyping(false);
      }, TYPING_TIMEOUT_MS);
    }
  }

  function loadSocketIo(callback) {
    if (window.io) {
      callback();
      return;
    }
    var tag = document.createElement("script");
    tag.src = assetBase + "vendor/socket.io.min.js";
    tag.onload = callback;
    tag.onerror = function () {
      showNotice(TEXT.cannot_connect, "error");
    };
    document.head.appendChild(tag);
  }

  function connect() {
    if (socket) {
      return;
    }
    showNotice(TEXT.connecting, "info");
    loadSocketIo(function () {
      if (socket) {
        return;
      }
      socket = window.io(config.rasaUrl, {
        path: config.socketPath,
        transports: ["websocket", "polling"],
        tryAllTransports: true,
        reconnectionDelay: 1000,
        reconnectionDelayMax: 5000,
      });
      socket.on("connect", function () {
        socket.emit("session_request", { session_id: state.sessionId });
      });
      socket.on("session_confirm", function (confirmed) {
        var sessionId = confirmed && typeof confirmed === "object" ? confirmed.session_id : confirmed;
        if (sessionId && sessionId !== state.sessionId) {
          state.sessionId = String(sessionId);
          saveState();
        }
        ready = true;
        if (everConnected) {
          showNotice(TEXT.restored, "ok");
        } else {
          hideNotice();
        }
        everConnected = true;
      });
      socket.on("disconnect", function () {
        ready = false;
        setTyping(false);
        showNotice(TEXT.dropped, "warning");
      });
      socket.on("connect_error", function () {
        ready = false;
        // Every failed retry reports an error; keep whatever warning is already shown.
        if (noticeKind !== "warning") {
          showNotice(everConnected ? TEXT.dropped : TEXT.cannot_connect, "warning");
        }
      });
      socket.on("bot_uttered", function (data) {
        var message = messageFromBot(data);
        if (message) {
          setTyping(false);
          addMessage(message);
        }
      });
    });
  }

  function sendMessage(payload, shownText) {
    if (!ready) {
      showNotice(TEXT.not_sent, "warning");
      return false;
    }
    addMessage({ from: "user", text: shownText });
    socket.emit("user_uttered", { message: payload, session_id: state.sessionId });
    setTyping(true);
    return true;
  }

  // ---------------------------------------------------------------- open / close

  function open() {
    ui.panel.hidden = false;
    ui.launcher.setAttribute("aria-expanded", "true");
    ui.root.classList.add("shc-is-open");
    state.open = true;
    saveState();
    connect();
    scrollToEnd();
    ui.input.focus();
  }

  function close() {
    ui.panel.hidden = true;
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.root.classList.remove("shc-is-open");
    state.open = false;
    saveState();
    ui.launcher.focus();
  }

  // ---------------------------------------------------------------- build

  function buildUi() {
    var root = el("div", "shc-root");
    root.id = "sundhedshus-chat";

    var panel = el("section", "shc-panel");
    panel.id = "shc-panel";
    panel.hidden = true;
    panel.setAttribute("aria-labelledby", "shc-title");

    var header = el("div", "shc-header");
    var heading = el("div", "shc-heading");
    var title = el("h2", "shc-title", config.title);
    title.id = "shc-title";
    heading.appendChild(title);
    heading.appendChild(el("p", "shc-subtitle", TEXT.subtitle));
    var closeButton = el("button", "shc-close");
    closeButton.type = "button";
    closeButton.setAttribute("aria-label", TEXT.close);
    closeButton.appendChild(icon("close"));
    closeButton.addEventListener("click", close);
    header.appendChild(heading);
    header.appendChild(closeButton);

    var log = el("div", "shc-log");
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-label", TEXT.conversation);
    log.setAttribute("tabindex", "0");

    var greeting = el("div", "shc-message shc-from-bot shc-greeting");
    var greetingBubble = el("p", "shc-bubble");
    appendRichText(greetingBubble, config.greeting);
    greeting.appendChild(greetingBubble);

    var typing = el("p", "shc-typing", TEXT.typing);
    typing.hidden = true;

    var notice = el("p", "shc-notice");
    notice.setAttribute("role", "status");
    notice.hidden = true;

    var form = el("form", "shc-form");
    form.setAttribute("novalidate", "");
    var label = el("label", "shc-sr-only", TEXT.input_label);
    label.setAttribute("for", "shc-input");
    var input = el("input", "shc-input");
    input.id = "shc-input";
    input.type = "text";
    input.autocomplete = "off";
    input.maxLength = 500;
    input.placeholder = TEXT.placeholder;
    var send = el("button", "shc-send", TEXT.send);
    send.type = "submit";
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(send);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (text && sendMessage(text, text)) {
        input.value = "";
      }
      input.focus();
    });

    log.appendChild(greeting);
    panel.appendChild(header);
    panel.appendChild(log);
    panel.appendChild(typing);
    panel.appendChild(notice);
    panel.appendChild(form);
    var privacy = el("p", "shc-privacy");
    privacy.appendChild(link(TEXT.privacy, config.privacyUrl));
    panel.appendChild(privacy);
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        close();
      }
    });

    var launcher = el("button", "shc-launcher");
    launcher.type = "button";
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", panel.id);
    launcher.appendChild(icon("chat"));
    launcher.appendChild(el("span", "shc-launcher-text", config.launcherLabel));
    launcher.addEventListener("click", function () {
      if (panel.hidden) {
        open();
      } else {
        close();
      }
    });

    root.appendChild(panel);
    root.appendChild(launcher);
    document.body.appendChild(root);

    return {
      root: root,
      panel: panel,
      log: log,
      typing: typing,
      notice: notice,
      input: input,
      launcher: launcher,
    };
  }

  var ICONS = {
    chat: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
    close: "M6 6l12 12M18 6L6 18",
  };

  function icon(name) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "shc-icon");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICONS[name]);
    svg.appendChild(path);
    return svg;
  }

  // Builds the widget once its stylesheet is there, so it never shows unstyled.
  function loadStyles(then) {
    var stylesheet = document.createElement("link");
    stylesheet.rel = "stylesheet";
    stylesheet.href = assetBase + "widget.css";
    stylesheet.onload = then;
    stylesheet.onerror = then;
    document.head.appendChild(stylesheet);
  }

  // ---------------------------------------------------------------- start

  var state = loadState();
  var ui = null;

  function start() {
    loadStyles(build);
  }

  function build() {
    ui = buildUi();
    restoreHistory();
    if (state.open || config.openOnLoad) {
      ui.panel.hidden = false;
      ui.launcher.setAttribute("aria-expanded", "true");
      ui.root.classList.add("shc-is-open");
      connect();
      scrollToEnd();
    }
  }

  window.sundhedshusChat = {
    open: function () {
      if (ui) {
        open();
      } else {
        state.open = true; // build() opens it
      }
    },
    close: function () {
      if (ui) {
        close();
      } else {
        state.open = false;
      }
    },
    get socket() {
      return socket;
    },
    get sessionId() {
      return state.sessionId;
    },
    /* true once the socket is connected and Rasa has confirmed the session */
    get connected() {
      return ready;
    },
    config: config,
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
