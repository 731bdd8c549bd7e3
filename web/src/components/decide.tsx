/** Approve or reject actions with a comment: the action center's and the investigation's pending lists share it. */
import { useState } from 'react';
import { api } from '../api';
import { ErrorBox } from './ui';

/**
 * The server decides on actions of one type per request (each recorded as one decision); the chosen may span types
 * — a whole investigation's — so they go as one request per type, in the order chosen.
 */
export function DecideBar({
  actions,
  onDone,
  label,
}: {
  actions: readonly { readonly id: string; readonly type: string }[];
  onDone: () => void;
  label: string;
}) {
  const [comment, setComment] = useState('');
  const [error, setError] = useState<Error | undefined>();
  const [busy, setBusy] = useState(false);
  const ids = actions.map((action) => action.id);
  const decide = async (verb: 'approve' | 'reject') => {
    setBusy(true);
    setError(undefined);
    const byType = new Map<string, string[]>();
    for (const action of actions) byType.set(action.type, [...(byType.get(action.type) ?? []), action.id]);
    try {
      for (const same of byType.values())
        await api(`/actions/${verb}`, {
          method: 'POST',
          body: { ids: same, ...(comment ? { comment } : {}) },
        });
      setComment('');
      onDone();
    } catch (caught) {
      setError(caught as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="decide" role="group" aria-label={label}>
      <label>
        Comment
        <input
          value={comment}
          onChange={(event) => setComment(event.target.value)}
          placeholder="why (recorded)"
        />
      </label>
      <button
        type="button"
        data-decide="approve"
        disabled={busy || ids.length === 0}
        onClick={() => void decide('approve')}
      >
        Approve{ids.length > 1 ? ` ${ids.length}` : ''}
      </button>
      <button
        type="button"
        className="secondary"
        data-decide="reject"
        disabled={busy || ids.length === 0}
        onClick={() => void decide('reject')}
      >
        Reject{ids.length > 1 ? ` ${ids.length}` : ''}
      </button>
      <ErrorBox error={error} />
    </div>
  );
}
