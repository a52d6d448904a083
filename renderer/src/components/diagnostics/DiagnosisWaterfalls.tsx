import { makeStyles, tokens } from '@fluentui/react-components';
import type { DiagnosisKind } from '../../../../shared/common/diagnostics/diagnosis';
import { commonScaleMs } from '../../../../shared/common/diagnostics/waterfall-layout';
import { DifferenceBanner } from './DifferenceBanner';
import { differenceStageName, type ShownDiagnosis } from './live-diagnosis';
import { Waterfall } from './Waterfall';

const useStyles = makeStyles({
  parts: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
});

const ownStages: Record<Exclude<DiagnosisKind, 'remoteAgent'>, string> = {
  activeDirectory: 'Active Directory stages',
  microsoftOnline: 'Microsoft Online stages',
};

export interface DiagnosisWaterfallsProps {
  shown: ShownDiagnosis;
  kind: Exclude<DiagnosisKind, 'remoteAgent'>;
  /** Whether the Remote Agent was asked in this run: its host gets a column, its probe a table. */
  agentAsked: boolean;
  running: boolean;
}

/**
 * The connection's stages with This computer and Remote Agent host side by side, then the probe of the Remote
 * Agent itself; every bar on one scale, so the same length means the same time in both tables.
 */
export function DiagnosisWaterfalls({ shown, kind, agentAsked, running }: DiagnosisWaterfallsProps) {
  const styles = useStyles();
  const scaleMs = commonScaleMs([shown.thisComputer, shown.remoteAgent, shown.agentHost]);
  const differenceId = shown.difference?.stageId ?? null;
  const stageName = differenceStageName(shown);
  const waiting = running ? 'Waiting…' : 'Not run';
  return (
    <div className={styles.parts}>
      {shown.difference && stageName && (
        <DifferenceBanner difference={shown.difference} stageName={stageName} />
      )}
      <Waterfall
        caption={ownStages[kind]}
        scaleMs={scaleMs}
        differenceId={differenceId}
        sides={[
          { name: 'This computer', diagnosis: shown.thisComputer, missing: waiting, emptyCell: waiting },
          ...(agentAsked
            ? [
                {
                  name: 'Remote Agent host',
                  diagnosis: shown.agentHost,
                  missing: running
                    ? 'Waiting for the agent host…'
                    : 'The agent host could not be asked: see the Remote Agent stages.',
                  emptyCell: waiting,
                },
              ]
            : []),
        ]}
      />
      {agentAsked && (
        <Waterfall
          caption="Remote Agent, probed from this computer"
          scaleMs={scaleMs}
          differenceId={null}
          columnsOfWidest={2}
          sides={[
            { name: 'This computer', diagnosis: shown.remoteAgent, missing: waiting, emptyCell: waiting },
          ]}
        />
      )}
    </div>
  );
}
