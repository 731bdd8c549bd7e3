/**
 * Measured precision in the settings: what became of the actions investigations proposed over the last 30 days,
 * per action type in its group, playbook, rule and analyzer — and where a group could automate more. autoir never
 * changes a level by itself (docs/response.md#measured-precision).
 */
import { api, type PrecisionReport } from '../api';
import { useData } from './ui';

type Counts = PrecisionReport['playbooks'][number];

function Figures(props: { readonly row: Omit<Counts, 'playbook'> }) {
  const { row } = props;
  return (
    <>
      <td>{row.automatic}</td>
      <td>{row.approved}</td>
      <td>{row.rejected}</td>
      <td>{row.undone}</td>
      <td>{row.pending}</td>
      <td>{row.precision === null ? '—' : `${Math.round(row.precision * 100)} %`}</td>
    </>
  );
}

function Table(props: {
  readonly label: string;
  readonly rows: readonly { name: string; row: Omit<Counts, 'playbook'> }[];
}) {
  if (props.rows.length === 0) return null;
  return (
    <>
      <h4>By {props.label}</h4>
      <table className="grid" aria-label={`Precision by ${props.label}`}>
        <thead>
          <tr>
            <th scope="col">{props.label}</th>
            <th scope="col">Automatic</th>
            <th scope="col">Approved</th>
            <th scope="col">Rejected</th>
            <th scope="col">Undone</th>
            <th scope="col">Pending</th>
            <th scope="col">Precision</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map(({ name, row }) => (
            <tr key={name}>
              <td className="small">{name}</td>
              <Figures row={row} />
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function Precision() {
  const report = useData(() => api<PrecisionReport>('/precision'), []);
  const data = report.data;
  if (!data || data.actionTypes.length === 0) return null;
  return (
    <>
      <h3>Precision of proposed actions, last 30 days</h3>
      <p className="muted">
        Kept (run automatically or approved, and not undone) of those decided. Suggestions are for the people
        who change levels; autoir never does.
      </p>
      {data.suggestions.map((suggestion) => (
        <p key={`${suggestion.group.kind}:${suggestion.group.name}:${suggestion.type}`} className="notice">
          {suggestion.text}
        </p>
      ))}
      <Table
        label="action type"
        rows={data.actionTypes.map((row) => ({
          name: `${row.type} · ${row.group.kind} ${row.group.name}`,
          row,
        }))}
      />
      <Table label="playbook" rows={data.playbooks.map((row) => ({ name: row.playbook, row }))} />
      <Table
        label="rule"
        rows={data.rules.slice(0, 20).map((row) => ({ name: row.title || row.rule, row }))}
      />
      <Table label="analyzer" rows={data.analyzers.map((row) => ({ name: row.analyzer, row }))} />
    </>
  );
}
