// What every peer script needs from the JUnit test that runs it: its settings, from environment
// variables, and a way to let time pass on the server's clock (the test's ClockControl) instead
// of waiting for a lifetime to run out.

export const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`missing ${name}`);
  return value;
};

/** Moves the server's clock forward by `seconds`. */
export async function advanceServerClock(seconds) {
  const response = await fetch(`${env('CLOCK_URL')}?seconds=${seconds}`, { method: 'POST' });
  if (response.status !== 204) throw new Error(`moving the clock answered ${response.status}`);
}

/** Fails the run with `message` unless `condition` holds; `details` are printed with it. */
export function check(condition, message, details) {
  if (!condition) throw new Error(`${message}${details === undefined ? '' : `: ${JSON.stringify(details)}`}`);
}
