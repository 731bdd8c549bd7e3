import { mergeAlertDrafts, type AlertDraft } from '../domain/alert.js';

/**
 * Alert drafts collected by sourceRef: detection raises one draft per matching event, and the drafts of one alert
 * (one rule, one process, one time window) are written as one, merged.
 */
export class AlertMerger {
  private readonly drafts = new Map<string, AlertDraft>();

  add(draft: AlertDraft): void {
    const existing = this.drafts.get(draft.sourceRef);
    this.drafts.set(draft.sourceRef, existing ? mergeAlertDrafts(existing, draft) : draft);
  }

  get size(): number {
    return this.drafts.size;
  }

  drain(): AlertDraft[] {
    const out = [...this.drafts.values()];
    this.drafts.clear();
    return out;
  }
}
