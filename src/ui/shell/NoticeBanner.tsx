import { useEffect, useRef } from 'react';
import { useLab, useLabActions } from '../../app/LabContext';
import { selectNotice, selectShareLink } from '../../app/selectors';

/**
 * The banner under the toolbar: a notice (a link that could not be opened
 * is an alert; Reset lesson's "it is back" is polite, with Undo), and the
 * share link to copy by hand when the clipboard is not available. Text only
 * ever goes in as React text, never as HTML.
 */
export function NoticeBanner() {
  const notice = useLab(selectNotice);
  const link = useLab(selectShareLink);
  if (!notice && !link) return null;
  return (
    <div className="banners">
      {notice && <Notice />}
      {link && <ShareLinkBox link={link} />}
    </div>
  );
}

function Notice() {
  const actions = useLabActions();
  const notice = useLab(selectNotice);
  if (!notice) return null;
  const isError = notice.kind === 'error';
  return (
    <div
      className={`banner ${isError ? 'banner-error' : 'banner-info'}`}
      role={isError ? 'alert' : 'status'}
    >
      <p className="banner-text">{notice.text}</p>
      {notice.undo && (
        <button type="button" className="banner-button" onClick={actions.undoResetLesson}>
          Undo
        </button>
      )}
      <button type="button" className="banner-button" onClick={actions.dismissNotice}>
        Dismiss
      </button>
    </div>
  );
}

function ShareLinkBox({ link }: { link: string }) {
  const actions = useLabActions();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [link]);
  return (
    <div className="banner banner-info share-box">
      <label className="share-label">
        Share link (copy it with Ctrl+C)
        <input
          ref={input}
          className="share-input"
          readOnly
          value={link}
          onFocus={(e) => e.currentTarget.select()}
        />
      </label>
      <button type="button" className="banner-button" onClick={actions.closeShareLink}>
        Close
      </button>
    </div>
  );
}
