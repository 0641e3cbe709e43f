/**
 * What the scripts of simulated devices (SiteWise gateway devices, Kinesis Video Edge Agents) have
 * in common: a script channel is one behaviour for every event, a list consumed one per event from
 * when the script was set (the last entry repeats once the list is used up), or a function of the event.
 */

/** A script channel: one behaviour, a list of behaviours, or a function of the event's context. */
export type ScriptChannel<B, C> = B | readonly B[] | ((context: C) => B);

export function isList<T>(value: T | readonly T[]): value is readonly T[] {
  return Array.isArray(value);
}

/**
 * Picks the behaviour of one script channel for the `number`-th event counted from when the script
 * was set; `subject` names the script in the error about an empty list, e.g. `device script for g-1 ns`.
 */
export function pickBehaviour<B, C>(channel: ScriptChannel<B, C>, context: C, number: number, subject: string): B {
  if (typeof channel === 'function') return (channel as (context: C) => B)(context);
  if (isList(channel)) {
    if (channel.length === 0) throw new Error(`${subject} has an empty behaviour list`);
    return channel[Math.min(number, channel.length) - 1];
  }
  return channel;
}
