//! Home: parcels on hand against capacity, today's movements, holds ending today, expired
//! parcels waiting for a driver (an alert until they leave), 30 days of volume, closed days.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Gauge, Paragraph, Sparkline};

use crate::domain::custody::Movement;
use crate::domain::labels::Carrier;
use crate::i18n::Lang;
use crate::service::Kiosk;
use crate::store::StoreError;
use crate::t;
use crate::tui::view::View;

pub const VOLUME_DAYS: usize = 30;

/// The home screen's words live in `assets/locales/*/home.ftl`; these put the counts in.
mod words {
    use crate::i18n::Lang;
    use crate::t;

    pub fn demo(lang: Lang) -> String {
        format!(" {} ", t!(lang, "home-demo"))
    }
    pub fn no_expired(lang: Lang) -> String {
        format!(" {}", t!(lang, "home-no-expired"))
    }
    pub fn expired(lang: Lang, count: u64) -> String {
        format!(" {} ", t!(lang, "home-expired", count = count))
    }
    pub fn orders_due(lang: Lang, count: u64, time: &str) -> String {
        format!(
            " {} ",
            t!(lang, "home-orders-due", count = count, time = time)
        )
    }
    pub fn holds_ending(lang: Lang, count: u64) -> String {
        t!(lang, "home-holds-ending", count = count)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HomeStats {
    pub on_hand: u64,
    pub capacity: u32,
    pub received_today: u64,
    pub handed_over_today: u64,
    pub ending_today: u64,
    pub expired_waiting: u64,
    /// The shop's orders due to leave within the warning window, and the earliest deadline.
    pub orders_due_soon: u64,
    pub next_order_deadline: Option<DateTime<Utc>>,
    /// Parcels moved per store day, oldest first, today last.
    pub daily_volume: Vec<u64>,
    pub closed_days: Vec<(NaiveDate, String)>,
    /// Parcels on the shelves by carrier, most first.
    pub on_hand_by_carrier: Vec<(Carrier, u64)>,
    /// The ledger was made by `kiosk seed` (a DemoDataMarked event): said on every screen.
    pub demo_data: bool,
}

impl HomeStats {
    pub fn load(kiosk: &Kiosk, now: DateTime<Utc>) -> Result<Self, StoreError> {
        let calendar = &kiosk.config.calendar;
        let today = calendar.local_date(now);
        let first_day = today - Duration::days(VOLUME_DAYS as i64 - 1);
        let (today_start, today_end) = calendar.day_bounds(today);
        let mut stats = HomeStats {
            on_hand: kiosk.store.on_hand()?,
            capacity: kiosk.config.store.capacity,
            ending_today: kiosk.store.count_holds_ending_between(now, today_end)?,
            expired_waiting: kiosk.store.count_expired(now)?,
            orders_due_soon: 0,
            next_order_deadline: None,
            daily_volume: vec![0; VOLUME_DAYS],
            closed_days: calendar.upcoming_closed_days(today, 3),
            on_hand_by_carrier: kiosk.store.on_hand_by_carrier()?,
            demo_data: kiosk.store.meta("demo_data")?.is_some(),
            ..HomeStats::default()
        };
        let soon = kiosk
            .store
            .orders_leaving_before(now + kiosk.config.orders.warn_before)?;
        stats.orders_due_soon = soon.len() as u64;
        stats.next_order_deadline = soon.iter().filter_map(|order| order.leave_by).min();
        for movement in kiosk
            .store
            .custody_movements_since(calendar.start_of_day(first_day))?
        {
            let day = calendar.local_date(movement.recorded_at);
            let index = (day - first_day).num_days();
            if let Some(slot) = usize::try_from(index)
                .ok()
                .and_then(|i| stats.daily_volume.get_mut(i))
            {
                *slot += u64::from(movement.parcels);
            }
            if movement.recorded_at >= today_start {
                match movement.movement {
                    Movement::In => stats.received_today += u64::from(movement.parcels),
                    Movement::Out => stats.handed_over_today += u64::from(movement.parcels),
                    Movement::Exception | Movement::None => {}
                }
            }
        }
        Ok(stats)
    }
}

/// A store with local delivery: V joins the line, and the ledger and desk keys move to the
/// help (all keys), so the line still fits 80 columns.
pub fn keys(config: &crate::config::KioskConfig, lang: Lang) -> String {
    if config
        .store
        .offers(crate::config::Capability::LocalDelivery)
    {
        t!(lang, "home-keys-local-delivery")
    } else {
        t!(lang, "home-keys")
    }
}

pub fn render(frame: &mut Frame, view: &View<'_>, stats: &HomeStats, area: Rect) {
    let theme = view.theme;
    let lang = view.lang;
    let tall = area.height >= 30;
    let [
        demo_area,
        alert_area,
        gauge_area,
        counts_area,
        chart_area,
        closed_area,
    ] = Layout::vertical([
        Constraint::Length(u16::from(stats.demo_data)),
        Constraint::Length(2),
        Constraint::Length(3),
        Constraint::Length(3),
        Constraint::Min(4),
        Constraint::Length(if tall { 5 } else { 4 }),
    ])
    .areas(area);

    if stats.demo_data {
        frame.render_widget(Line::styled(words::demo(lang), theme.alert), demo_area);
    }
    let alert = if stats.expired_waiting > 0 {
        Line::styled(words::expired(lang, stats.expired_waiting), theme.alert)
    } else {
        Line::styled(words::no_expired(lang), theme.ok)
    };
    let orders = match stats.next_order_deadline {
        Some(deadline) => Line::styled(
            words::orders_due(
                lang,
                stats.orders_due_soon,
                &deadline
                    .with_timezone(&view.config.store.time_zone)
                    .format("%H:%M")
                    .to_string(),
            ),
            theme.alert,
        ),
        None => Line::raw(""),
    };
    frame.render_widget(Paragraph::new(vec![alert, orders]), alert_area);

    let capacity = u64::from(stats.capacity.max(1));
    let ratio = (stats.on_hand as f64 / capacity as f64).min(1.0);
    let over = stats.on_hand > capacity;
    let by_carrier: Vec<String> = stats
        .on_hand_by_carrier
        .iter()
        .map(|(carrier, count)| format!("{carrier} {count}"))
        .collect();
    let label = format!(
        "{}{}{}",
        t!(
            lang,
            "home-on-hand",
            on_hand = stats.on_hand,
            capacity = stats.capacity
        ),
        if by_carrier.is_empty() {
            String::new()
        } else {
            format!(": {}", by_carrier.join(" · "))
        },
        if over {
            format!(" {}", t!(lang, "home-over-capacity"))
        } else {
            String::new()
        }
    );
    let gauge_style = if over {
        theme.alert
    } else if ratio >= 0.8 {
        theme.warn
    } else {
        theme.ok
    };
    frame.render_widget(
        Gauge::default()
            .block(
                Block::new()
                    .borders(Borders::ALL)
                    .title(format!(" {} ", t!(lang, "home-shelves"))),
            )
            .gauge_style(gauge_style)
            .ratio(ratio)
            .label(label),
        gauge_area,
    );

    let counts = Line::from(vec![
        Span::raw(format!(" {} ", t!(lang, "home-today"))),
        Span::styled(
            t!(lang, "home-received", count = stats.received_today),
            theme.title,
        ),
        Span::raw("   "),
        Span::styled(
            t!(lang, "home-handed-over", count = stats.handed_over_today),
            theme.title,
        ),
        Span::raw("   "),
        if stats.ending_today > 0 {
            Span::styled(words::holds_ending(lang, stats.ending_today), theme.warn)
        } else {
            Span::raw(t!(lang, "home-no-holds-ending"))
        },
    ]);
    frame.render_widget(
        Paragraph::new(counts).block(
            Block::new()
                .borders(Borders::ALL)
                .title(format!(" {} ", t!(lang, "home-counter"))),
        ),
        counts_area,
    );

    let peak = stats.daily_volume.iter().copied().max().unwrap_or(0);
    // One bar per day, widened to fill the box.
    let inner_width = usize::from(chart_area.width.saturating_sub(2));
    let per_day = (inner_width / VOLUME_DAYS.max(1)).max(1);
    let bars: Vec<u64> = stats
        .daily_volume
        .iter()
        .flat_map(|count| std::iter::repeat_n(*count, per_day))
        .collect();
    frame.render_widget(
        Sparkline::default()
            .block(Block::new().borders(Borders::ALL).title(format!(
                " {} ",
                t!(lang, "home-volume", days = VOLUME_DAYS, peak = peak)
            )))
            .data(&bars)
            .style(theme.normal),
        chart_area,
    );

    let mut closed: Vec<Line> = stats
        .closed_days
        .iter()
        .map(|(day, reason)| Line::raw(format!(" {}  {reason}", crate::i18n::date(lang, *day))))
        .collect();
    if closed.is_empty() {
        closed.push(Line::raw(format!(" {}", t!(lang, "home-no-closed-days"))));
    }
    frame.render_widget(
        Paragraph::new(closed).block(
            Block::new()
                .borders(Borders::ALL)
                .title(format!(" {} ", t!(lang, "home-next-closed"))),
        ),
        closed_area,
    );
}
