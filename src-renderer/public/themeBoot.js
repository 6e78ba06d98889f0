// Runs before the first paint so a chosen dark or light theme never flashes the other one.
// Mirrors readBootTheme/applyTheme in app/theme.ts (the bundle applies the same again).
(function () {
  var choice = 'system';
  try {
    var stored = window.localStorage.getItem('parley.theme');
    if (stored === 'light' || stored === 'dark' || stored === 'system') choice = stored;
  } catch {
    // Storage may be off: the system's preference is a fine start.
  }
  var dark = choice === 'dark' || (choice === 'system' && window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.setAttribute('data-theme', dark ? 'dark' : 'light');
  document.documentElement.setAttribute('data-theme-choice', choice);
})();
