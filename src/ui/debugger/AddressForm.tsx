import { memo, useId, useState, type FormEvent } from 'react';
import { parseAddress, type AddressTarget } from './parseAddress';

/** Props of {@link AddressForm}. */
export interface AddressFormProps {
  /** Ask for another memory window; called only with a valid target. */
  onGoto(target: AddressTarget): void;
}

/**
 * The memory view's navigation: a "Go to address" input with a Go button
 * (Enter works too) and Follow RIP / Follow RSP buttons. Invalid input shows
 * an inline error (linked with aria-describedby, announced) and asks for
 * nothing, so the view keeps its old address. Memoised: it never re-renders
 * on a step, only while typing.
 */
export const AddressForm = memo(function AddressForm({ onGoto }: AddressFormProps) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const errorId = useId();

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const parsed = parseAddress(text);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    setError(null);
    onGoto(parsed.target);
  };
  const follow = (target: 'rip' | 'rsp') => {
    setError(null);
    onGoto(target);
  };

  return (
    <form className="dbg-goto" onSubmit={submit} noValidate>
      <label htmlFor={inputId} className="dbg-label">
        Go to address
      </label>
      <input
        id={inputId}
        className="dbg-input dbg-mono"
        type="text"
        spellCheck={false}
        autoComplete="off"
        placeholder="0x10000"
        value={text}
        onChange={(e) => {
          setText(e.currentTarget.value);
          if (error) setError(null);
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
      <button type="submit" className="dbg-button">
        Go
      </button>
      <button type="button" className="dbg-button" onClick={() => follow('rip')}>
        Follow RIP
      </button>
      <button type="button" className="dbg-button" onClick={() => follow('rsp')}>
        Follow RSP
      </button>
      {error && (
        <p id={errorId} className="dbg-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
});
