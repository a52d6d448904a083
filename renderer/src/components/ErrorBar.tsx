import { MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { AppError } from '../../../shared/common/errors/app-error';

export interface ErrorBarProps {
  error: AppError;
  /** A sentence that frames the error ("Nothing was imported."); without it the error's message is the title. */
  title?: string;
  actions?: ReactNode;
}

/** How every failure reads in the window: what happened, then the next step (the AppError's hint). */
export function ErrorBar({ error, title, actions }: ErrorBarProps) {
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{title ?? error.message}</MessageBarTitle>
        {title ? `${error.message} ` : ''}
        {error.hint}
      </MessageBarBody>
      {actions && <MessageBarActions>{actions}</MessageBarActions>}
    </MessageBar>
  );
}
