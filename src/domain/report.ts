/** A message an employee reported as phishing to the report mailbox, and what came of it. */
export interface MailReport {
  /** `rpt_<ulid>`. */
  readonly id: string;
  /** The report's own Message-ID (a report read twice is one report). */
  readonly reportMessageId: string;
  /** The report mailbox it arrived in. */
  readonly mailbox: string;
  /** Who reported it: the report's sender. */
  readonly reporter: string;
  /** The reported message, as the report carried it (absent when it could not be read). */
  readonly reportedMessageId: string | null;
  readonly reportedSubject: string | null;
  readonly reportedSender: string | null;
  /** The alert it became. */
  readonly alertId: string | null;
  readonly createdAt: string;
  /** When the reporter was told the outcome, and what. */
  readonly repliedAt: string | null;
  readonly reply: string | null;
}

export type NewMailReport = Omit<MailReport, 'id' | 'createdAt' | 'repliedAt' | 'reply'>;
