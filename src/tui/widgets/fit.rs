//! Text cut to the room it has, always with a mark (…) where it was cut, never silently.

use ratatui::layout::{Constraint, Flex, Layout, Rect};

/// `text` cut to `width` characters with a mark (…) where it was cut, never silently.
pub fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let kept: String = text.chars().take(width.saturating_sub(1)).collect();
    format!("{kept}…")
}

/// Each cell cut to the width its column gets in a table `width` wide (the table's own
/// layout: columns one space apart), with a mark where one was cut: a table never cuts text
/// silently, mid-word.
pub fn fit_cells(cells: Vec<String>, widths: &[Constraint], width: u16) -> Vec<String> {
    let columns = Layout::horizontal(widths.iter().copied())
        .flex(Flex::Start)
        .spacing(1)
        .split(Rect::new(0, 0, width, 1));
    cells
        .into_iter()
        .enumerate()
        .map(|(index, cell)| match columns.get(index) {
            Some(column) => fit(&cell, usize::from(column.width)),
            None => cell,
        })
        .collect()
}
