// Meeting admin forms take the territory's wall-clock times, said in each field's help text.
// Django's "you are N hours ahead of server time" note compares with the browser's zone and
// would contradict it: without the server offset, the calendar widgets do not add it.
document.addEventListener("DOMContentLoaded", function () {
  delete document.body.dataset.adminUtcOffset;
});
