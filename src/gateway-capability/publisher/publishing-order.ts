/** The order in which the publisher sends buffered data to the cloud. */
export enum PublishingOrder {
  /** Oldest data first (console: "Publish oldest data first"); the publisher's default. */
  TIME_ORDER = 'TIME_ORDER',

  /** Newest data first (console: "Publish newest data first"). */
  RECENT_DATA = 'RECENT_DATA',
}
