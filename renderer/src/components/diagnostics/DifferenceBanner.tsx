import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import type { DiagnosisDifference } from '../../../../shared/common/diagnostics/diagnosis';

/** The first stage whose outcome differs between the two hosts, in main's one sentence. */
export function DifferenceBanner({
  difference,
  stageName,
}: {
  difference: DiagnosisDifference;
  stageName: string;
}) {
  return (
    <MessageBar intent="warning" layout="multiline" data-difference={difference.stageId}>
      <MessageBarBody>
        <MessageBarTitle>The two hosts differ at {stageName}.</MessageBarTitle>
        {difference.sentence}
      </MessageBarBody>
    </MessageBar>
  );
}
