import { Button, Text } from '@fluentui/react-components';
import { DocumentRegular } from '@fluentui/react-icons';
import { useRef, useState } from 'react';

export interface PemFileButtonProps {
  label: string;
  /** Receives the file's text; the text itself is never rendered. */
  onLoad(text: string): void;
  loaded: boolean;
}

/** Picks a PEM file and hands its content over; shows only the file's name. */
export function PemFileButton({ label, onLoad, loaded }: PemFileButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  return (
    <span>
      <input
        ref={input}
        type="file"
        accept=".pem,.crt,.cer,.key,text/plain"
        hidden
        aria-label={label}
        onChange={async (event) => {
          const file = event.target.files?.[0];
          if (!file) return;
          setFileName(file.name);
          onLoad(await file.text());
          event.target.value = '';
        }}
      />
      <Button icon={<DocumentRegular />} onClick={() => input.current?.click()}>
        {label}
      </Button>{' '}
      <Text size={200}>{fileName ?? (loaded ? 'loaded' : 'no file chosen')}</Text>
    </span>
  );
}
