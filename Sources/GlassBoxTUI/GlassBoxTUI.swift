// GlassBoxTUI — a small immediate-mode terminal toolkit modelled on ratatui.
//
// Widgets render into a `Buffer` (a `Rect` plus row-major `Cell`s) and never touch the
// terminal; `Terminal` diffs consecutive buffers and hands only changed cells to a
// `Backend` (`NCursesBackend` for real terminals, `TestBackend` in tests).
