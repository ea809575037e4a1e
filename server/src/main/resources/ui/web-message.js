(function () {
  var element = document.getElementById("response");
  var message = { type: "authorization_response", response: JSON.parse(element.getAttribute("data-response")) };
  window.parent.postMessage(message, element.getAttribute("data-origin"));
})();
