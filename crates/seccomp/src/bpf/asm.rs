//! Labels instead of offsets: conditional jumps in classic BPF skip at most 255 instructions,
//! so the assembler lays the program out and lengthens, with `JA`, every branch that cannot
//! reach its label.

use super::{JA, jump, stmt};

/// A place in the program, bound once with [`Asm::bind`]. Classic BPF only jumps forward, so
/// every jump to a label comes before the place it is bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Label(usize);

/// Where one branch of a conditional jump goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// The instruction after the jump (falls through).
    Next,
    /// The instruction a label is bound before.
    To(Label),
}

/// What the assembler lays out.
#[derive(Debug)]
enum Item {
    /// An instruction that does not jump.
    Plain(libc::sock_filter),
    /// Binds a label to the next instruction.
    Bind(Label),
    /// A conditional jump (`JEQ_K`, `JGT_K`, `JGE_K`) against `k`.
    Jump {
        code: u16,
        k: u32,
        jt: Target,
        jf: Target,
    },
}

/// A label-based assembler for classic BPF. [`Asm::assemble`] gives each conditional jump one
/// of these forms, per branch whose label is more than 255 instructions away:
///
/// ```text
/// jcond jt, jf                 both branches near
/// jcond 0, jf+1; ja T          the true branch far
/// jcond jt+1, 0; ja F          the false branch far
/// jcond 0, 1; ja T; ja F       both far
/// ```
///
/// `Next` never needs a long jump: it is at most two instructions away.
#[derive(Debug, Default)]
pub(crate) struct Asm {
    items: Vec<Item>,
    labels: usize,
}

impl Asm {
    /// A new, unbound label.
    pub(crate) fn label(&mut self) -> Label {
        self.labels += 1;
        Label(self.labels - 1)
    }

    /// Binds `l` to the next instruction emitted.
    pub(crate) fn bind(&mut self, l: Label) {
        self.items.push(Item::Bind(l));
    }

    /// An instruction that does not jump (jumps must go through [`Asm::jump`]).
    pub(crate) fn plain(&mut self, f: libc::sock_filter) {
        assert_ne!(f.code & 0x07, JA & 0x07, "jumps need labels: {f:?}");
        self.items.push(Item::Plain(f));
    }

    /// `if A <code> k then jt else jf`.
    pub(crate) fn jump(&mut self, code: u16, k: u32, jt: Target, jf: Target) {
        self.items.push(Item::Jump { code, k, jt, jf });
    }

    /// Where each item starts and each label lands, when jump `i` has `far[i]` long (true,
    /// false) branches.
    fn layout(&self, far: &[(bool, bool)]) -> (Vec<usize>, Vec<usize>) {
        let mut starts = Vec::with_capacity(self.items.len());
        let mut at = vec![None; self.labels];
        let mut pc = 0;
        for (item, &(t, f)) in self.items.iter().zip(far) {
            starts.push(pc);
            match item {
                Item::Plain(_) => pc += 1,
                Item::Bind(l) => {
                    assert!(at[l.0].is_none(), "label {l:?} bound twice");
                    at[l.0] = Some(pc);
                }
                Item::Jump { .. } => pc += 1 + usize::from(t) + usize::from(f),
            }
        }
        let at = at.into_iter().enumerate();
        let at = at.map(|(l, pc)| pc.unwrap_or_else(|| panic!("label {l} never bound")));
        (starts, at.collect())
    }

    /// Lays the items out, lengthening branches until every one reaches its target.
    ///
    /// A branch marked long stays long, so each round either marks one more branch or finds
    /// nothing to change: at most one round per branch, plus the last.
    pub(crate) fn assemble(self) -> Vec<libc::sock_filter> {
        let mut far = vec![(false, false); self.items.len()];
        let at = loop {
            let (starts, at) = self.layout(&far);
            let mut changed = false;
            for ((item, pc), far) in self.items.iter().zip(starts).zip(&mut far) {
                let &Item::Jump { jt, jf, .. } = item else {
                    continue;
                };
                for (target, long) in [(jt, &mut far.0), (jf, &mut far.1)] {
                    if let Target::To(l) = target {
                        let to = at[l.0];
                        assert!(to > pc, "backward jump to {l:?}");
                        if !*long && to - (pc + 1) > usize::from(u8::MAX) {
                            *long = true;
                            changed = true;
                        }
                    }
                }
            }
            if !changed {
                break at;
            }
        };
        let mut out = Vec::with_capacity(self.items.len());
        for (item, &(t_far, f_far)) in self.items.iter().zip(&far) {
            match *item {
                Item::Plain(f) => out.push(f),
                Item::Bind(l) => debug_assert_eq!(at[l.0], out.len()),
                Item::Jump { code, k, jt, jf } => {
                    let pc = out.len();
                    let next = pc + 1 + usize::from(t_far) + usize::from(f_far);
                    // The `JA`s follow the jump, the true branch's first.
                    let ja_t = pc + 1;
                    let ja_f = ja_t + usize::from(t_far);
                    let offset = |target: Target, long: bool, ja: usize| {
                        let to = match target {
                            Target::To(_) if long => ja,
                            Target::To(l) => at[l.0],
                            Target::Next => next,
                        };
                        u8::try_from(to - (pc + 1)).expect("in range: checked by the layout")
                    };
                    out.push(jump(
                        code,
                        k,
                        offset(jt, t_far, ja_t),
                        offset(jf, f_far, ja_f),
                    ));
                    for (target, long) in [(jt, t_far), (jf, f_far)] {
                        if let (Target::To(l), true) = (target, long) {
                            let k = at[l.0] - (out.len() + 1);
                            out.push(stmt(JA, u32::try_from(k).expect("program under 2^32")));
                        }
                    }
                    debug_assert_eq!(out.len(), next);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::{JEQ_K, JGT_K, LD_W_ABS, OFF_NR, RET_K, evaluate, stmt};
    use super::*;

    /// A jump that another jump's lengthening pushes out of range is lengthened in a later
    /// round.
    #[test]
    fn assembler_lengthens_jumps_pushed_out_of_range() {
        use Target::{Next, To};
        let mut asm = Asm::default();
        let (a, b) = (asm.label(), asm.label());
        asm.plain(stmt(LD_W_ABS, OFF_NR));
        // 255 instructions to skip until the next jump grows.
        asm.jump(JEQ_K, 1, To(a), Next);
        // 265 to skip.
        asm.jump(JEQ_K, 2, To(b), Next);
        for _ in 0..253 {
            asm.plain(stmt(LD_W_ABS, OFF_NR));
        }
        asm.plain(stmt(RET_K, 0));
        asm.bind(a);
        asm.plain(stmt(RET_K, 100));
        for _ in 0..10 {
            asm.plain(stmt(LD_W_ABS, OFF_NR));
        }
        asm.bind(b);
        asm.plain(stmt(RET_K, 200));
        let prog = asm.assemble();
        assert_eq!(prog.len(), 1 + 2 + 2 + 253 + 1 + 1 + 10 + 1);
        assert_eq!((prog[1].code, prog[1].jt, prog[1].jf), (JEQ_K, 0, 1));
        assert_eq!((prog[2].code, prog[2].k), (JA, 2 + 253 + 1));
        assert_eq!((prog[3].code, prog[3].jt, prog[3].jf), (JEQ_K, 0, 1));
        assert_eq!((prog[4].code, prog[4].k), (JA, 253 + 1 + 1 + 10));
        for (nr, want) in [(1, 100), (2, 200), (3, 0)] {
            assert_eq!(evaluate(&prog, 0, nr, &[0; 6]), Some(want), "nr {nr}");
        }
    }

    /// Each long form (true branch, false branch, both) reaches its targets, and near branches
    /// keep their one instruction.
    #[test]
    fn assembler_long_forms_reach_their_targets() {
        use Target::{Next, To};
        let mut asm = Asm::default();
        let [x, y, z, w, near] = [(); 5].map(|()| asm.label());
        asm.plain(stmt(LD_W_ABS, OFF_NR));
        asm.jump(JEQ_K, 6, To(z), Next);
        asm.jump(JEQ_K, 7, To(near), Next);
        asm.jump(JGT_K, 1, Next, To(y));
        asm.jump(JEQ_K, 2, To(x), To(w));
        asm.bind(near);
        asm.plain(stmt(RET_K, 70));
        for _ in 0..300 {
            asm.plain(stmt(LD_W_ABS, OFF_NR));
        }
        for (l, r) in [(x, 100), (y, 200), (z, 300), (w, 400)] {
            asm.bind(l);
            asm.plain(stmt(RET_K, r));
        }
        let prog = asm.assemble();
        let shape: Vec<(u16, u8, u8)> = prog[1..10].iter().map(|f| (f.code, f.jt, f.jf)).collect();
        #[rustfmt::skip]
        assert_eq!(shape, [
            (JEQ_K, 0, 1), (JA, 0, 0),
            (JEQ_K, 5, 0),
            (JGT_K, 1, 0), (JA, 0, 0),
            (JEQ_K, 0, 1), (JA, 0, 0), (JA, 0, 0),
            (RET_K, 0, 0),
        ]);
        assert_eq!(prog.len(), 10 + 300 + 4);
        let table = [
            (0, 200),
            (1, 200),
            (2, 100),
            (3, 400),
            (5, 400),
            (6, 300),
            (7, 70),
        ];
        for (nr, want) in table.into_iter().chain([(8, 400), (u32::MAX, 400)]) {
            assert_eq!(evaluate(&prog, 0, nr, &[0; 6]), Some(want), "nr {nr}");
        }
    }
}
