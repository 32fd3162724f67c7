// The demo page's "Start chatten" button opens the widget (window.sundhedshusChat).
document.getElementById("start-chat").addEventListener("click", function () {
  if (window.sundhedshusChat) {
    window.sundhedshusChat.open();
  }
});
