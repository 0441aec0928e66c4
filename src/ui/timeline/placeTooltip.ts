/** Gap between the pointer and the tooltip (CSS px). */
const OFFSET = 14;

/**
 * Moves `tooltip` (absolutely positioned inside `container`) next to the
 * pointer at client coordinates (clientX, clientY), flipping to the left or
 * above when it would leave the container. A DOM write outside React: the
 * position changes at pointer rate, the content only when the exit changes.
 */
export function placeTooltip(
  tooltip: HTMLElement | null,
  container: HTMLElement | null,
  clientX: number,
  clientY: number,
): void {
  if (!tooltip || !container) return;
  const box = container.getBoundingClientRect();
  const width = tooltip.offsetWidth || 200;
  const height = tooltip.offsetHeight || 90;
  let x = clientX - box.left + OFFSET;
  let y = clientY - box.top + OFFSET;
  if (x + width > box.width) x = Math.max(0, clientX - box.left - OFFSET - width);
  if (y + height > box.height) y = Math.max(0, clientY - box.top - OFFSET - height);
  tooltip.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
}
