/** Approve or reject actions with a comment: the action center's and the investigation's pending lists share it. */
import { useState } from 'react';
import { api } from '../api';
import { ErrorBox } from './ui';

export function DecideBar({
  ids,
  onDone,
  label,
}: {
  ids: readonly string[];
  onDone: () => void;
  label: string;
}) {
  const [comment, setComment] = useState('');
  const [error, setError] = useState<Error | undefined>();
  const [busy, setBusy] = useState(false);
  const decide = async (verb: 'approve' | 'reject') => {
    setBusy(true);
    setError(undefined);
    try {
      await api(`/actions/${verb}`, { method: 'POST', body: { ids, ...(comment ? { comment } : {}) } });
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
      <button type="button" disabled={busy || ids.length === 0} onClick={() => void decide('approve')}>
        Approve{ids.length > 1 ? ` ${ids.length}` : ''}
      </button>
      <button
        type="button"
        className="secondary"
        disabled={busy || ids.length === 0}
        onClick={() => void decide('reject')}
      >
        Reject{ids.length > 1 ? ` ${ids.length}` : ''}
      </button>
      <ErrorBox error={error} />
    </div>
  );
}
