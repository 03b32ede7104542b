/** How often a terminal's progress line is redrawn, and a log's line written. */
const TTY_REDRAW_MS = 100;
const PLAIN_EVERY_MS = 5_000;

export interface ProgressOptions {
  /** What is being done: `reserving`, `replaying`. */
  label: string;
  /** How many there are to do, when known. */
  total?: number;
  /** What is counted: `reservations`, `entries`. */
  unit: string;
  /** Where the progress goes: stdout by default, beside the results (stderr is for failures). */
  stream?: NodeJS.WriteStream;
  plainEveryMs?: number;
  /** More to show after the count (`412 requests`); then the rate of the count itself is left out. */
  detail?: () => string;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Progress of a long command: on a terminal one line redrawn in place (elapsed, done/total,
 * rate); in a log a plain line every few seconds. `finish` always writes a final line.
 */
export function createProgress(o: ProgressOptions) {
  const stream = o.stream ?? process.stdout;
  const tty = Boolean(stream.isTTY);
  const started = Date.now();
  let done = 0;
  let total = o.total;
  // A log gets its first line after the first interval: a short run writes only its final line.
  let lastDrawn = tty ? 0 : started;
  let drawnOnLine = false;

  const text = () => {
    const elapsed = Date.now() - started;
    const rate = elapsed > 0 ? (done / elapsed) * 1000 : 0;
    const of = total === undefined ? `${done}` : `${done}/${total}`;
    const tail = o.detail ? o.detail() : `${rate.toFixed(1)}/s`;
    return `${o.label}: ${of} ${o.unit}, ${seconds(elapsed)}, ${tail}`;
  };
  const clear = () => {
    if (tty && drawnOnLine) stream.write("\r\x1b[K");
    drawnOnLine = false;
  };
  const draw = (force = false) => {
    const now = Date.now();
    if (!force && now - lastDrawn < (tty ? TTY_REDRAW_MS : (o.plainEveryMs ?? PLAIN_EVERY_MS))) return;
    lastDrawn = now;
    if (tty) {
      stream.write(`\r\x1b[K${text()}`);
      drawnOnLine = true;
    } else stream.write(`${text()}\n`);
  };

  return {
    /** Counts `n` more done. */
    tick(n = 1) {
      done += n;
      draw();
    },
    /** Sets how many are done (and, if it changed, the total). */
    update(now: number, newTotal = total) {
      done = now;
      total = newTotal;
      draw();
    },
    /** Writes a line of its own without garbling the progress line. */
    log(line: string) {
      clear();
      stream.write(`${line}\n`);
      if (tty) draw(true);
    },
    /** Ends the progress with a final line (on stdout by default): `summary`, with the time it took. */
    finish(summary: string, out: NodeJS.WriteStream = process.stdout) {
      clear();
      out.write(`${summary} (${seconds(Date.now() - started)})\n`);
    },
    get done() {
      return done;
    },
  };
}

export type Progress = ReturnType<typeof createProgress>;
