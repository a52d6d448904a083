import { makeStyles } from '@fluentui/react-components';

/**
 * For dialogs whose content changes while open (test results, sign-in progress, validation messages, wizard
 * steps). Fluent centres a surface as tall as its content, so each new line would move the buttons by half its
 * height, just as the admin reaches for them. One fixed height instead: the content scrolls, the actions stay put
 * and, capped by the viewport, stay on screen in a small window.
 */
export const useDialogFrameStyles = makeStyles({
  surface: { height: 'min(640px, calc(100vh - 48px))' },
  body: { height: '100%', maxHeight: '100%', gridTemplateRows: 'auto minmax(0, 1fr) auto' },
  content: { minHeight: 0 },
});
