import { useEffect } from 'react';
import { useConnectionsStore } from '../stores/connections-store';

/**
 * Keeps the list in step with changes other processes make (the CLI importing, a script recording a test):
 * main only says that something changed, and the window lists again quietly.
 */
export function useLiveConnections(): void {
  useEffect(
    () => window.connectionUtility?.on('connections', () => void useConnectionsStore.getState().refresh()),
    [],
  );
}
