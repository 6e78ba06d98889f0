import { useId, type InputHTMLAttributes } from 'react';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> & {
  label: string;
  hint?: string | undefined;
  /** Shown instead of the hint, and marks the field invalid. */
  problem?: string | null | undefined;
};

/** A labelled input whose label is its accessible name; hint and problem are its description. */
export function TextField({ label, hint, problem, className, ...input }: Props) {
  const id = useId();
  const noteId = `${id}-note`;
  const note = problem ?? hint;
  return (
    <div className={['field', className].filter(Boolean).join(' ')}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        {...input}
        id={id}
        className="field__input"
        aria-invalid={problem ? true : undefined}
        aria-describedby={note ? noteId : undefined}
      />
      {note ? (
        <p id={noteId} className={problem ? 'field__note field__note--problem' : 'field__note'}>
          {note}
        </p>
      ) : null}
    </div>
  );
}
