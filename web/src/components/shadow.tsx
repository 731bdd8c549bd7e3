/**
 * Shadow automation in the settings: a group's shadow level (decide as if it were on, run nothing by itself), and
 * what the shadows would have done against what analysts did over the last 30 days (docs/response.md).
 */
import { api, type DeviceGroup, type ShadowReport } from '../api';
import { useData } from './ui';

const LEVELS = ['full', 'semiAll', 'semiCore', 'semiNonTemp', 'none'];

/** Off, or the level the group measures; changing it sends the group's shadow (keeping its action types). */
export function ShadowSelect(props: {
  readonly group: DeviceGroup;
  readonly change: (shadow: { level: string; actionTypes?: string[] } | null) => void;
}) {
  const { group } = props;
  const shadow = group.shadow ?? null;
  return (
    <select
      aria-label={`Shadow level of ${group.kind} group ${group.name}`}
      value={shadow?.level ?? ''}
      onChange={(event) =>
        props.change(
          event.target.value === ''
            ? null
            : {
                level: event.target.value,
                ...(shadow?.actionTypes?.length ? { actionTypes: shadow.actionTypes } : {}),
              },
        )
      }
    >
      <option value="">off</option>
      {LEVELS.map((level) => (
        <option key={level} value={level}>
          {level}
          {shadow?.level === level && shadow.actionTypes?.length ? ` (${shadow.actionTypes.join(', ')})` : ''}
        </option>
      ))}
    </select>
  );
}

const total = (counts: ShadowReport['groups'][number]['wouldRun']) =>
  counts.pending + counts.approved + counts.rejected + counts.expired + counts.undone;

/** Per group and action type: would have run, and what analysts did with those; would have waited; agreement. */
export function ShadowAgreement() {
  const report = useData(() => api<ShadowReport>('/policy/shadow'), []);
  const rows = report.data?.groups ?? [];
  if (rows.length === 0) return null;
  return (
    <>
      <h3>Shadow automation, last 30 days</h3>
      <p className="muted">
        What each group in shadow would have done with the actions it sent for approval, against what analysts
        did. autoir never changes a level by itself.
      </p>
      <table className="grid" aria-label="Shadow automation agreement">
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col">Action</th>
            <th scope="col">Shadow</th>
            <th scope="col">Would run</th>
            <th scope="col">Approved</th>
            <th scope="col">Rejected</th>
            <th scope="col">Undone</th>
            <th scope="col">Pending</th>
            <th scope="col">Would wait</th>
            <th scope="col">Agreement</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.group.kind}:${row.group.name}:${row.type}`}>
              <td>
                {row.group.kind} {row.group.name}
              </td>
              <td>{row.type}</td>
              <td>{row.level}</td>
              <td>{total(row.wouldRun)}</td>
              <td>{row.wouldRun.approved}</td>
              <td>{row.wouldRun.rejected}</td>
              <td>{row.wouldRun.undone}</td>
              <td>{row.wouldRun.pending}</td>
              <td>{total(row.wouldWait)}</td>
              <td>{row.agreement === null ? '—' : `${Math.round(row.agreement * 100)} %`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
