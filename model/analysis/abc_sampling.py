"""pyabc's sampler, transition kernels and budget for innosim calibrate (calibration.abc_smc)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .particle import Fitted, distance_so_far, simulate, simulate_within

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pyabc

    from ..scenario import Scenario


def sampler(workers: int, scheduler: str | None) -> pyabc.sampler.Sampler:
    import pyabc

    if scheduler:
        from ..execution.parallel import connect

        return pyabc.sampler.DaskDistributedSampler(dask_client=connect(scheduler))
    if workers > 1:
        from ..execution.lifeline import Linked

        class Sampler(pyabc.sampler.MulticoreEvalParallelSampler):
            # pyabc forks its workers itself, a new set each generation: each ties itself to this process
            # on its first particle, so that it ends with it rather than compute on after a kill.
            def sample_until_n_accepted(self, n, simulate_one, t, **kwargs):
                return super().sample_until_n_accepted(n, Linked(simulate_one), t, **kwargs)

        return Sampler(n_procs=workers)
    return pyabc.sampler.SingleCoreSampler()


def early_rejecting(scenarios: dict[str, Scenario], fitted: Sequence[Fitted]) -> pyabc.Model:
    """pyabc's model of a fit with one run of each place: a proposal stops as soon as the fitted figures measured so
    far put it beyond the generation's tolerance (particle.simulate_within), and is judged by pyabc's own acceptor
    on its full statistics otherwise. The prior's sample, which sets the first tolerance, runs in full."""
    import pyabc
    from pyabc.model import ModelResult

    class EarlyRejecting(pyabc.Model):
        def sample(self, pars) -> dict[str, float]:
            return simulate(scenarios, dict(pars), 1)

        def accept(self, t, pars, sum_stat_calculator, distance_calculator, eps_calculator, acceptor, x_0):
            stats, complete = simulate_within(scenarios, dict(pars), fitted, float(eps_calculator(t)))
            if not complete:
                return ModelResult(sum_stat=stats, distance=distance_so_far(fitted, stats), accepted=False)
            result = ModelResult(sum_stat=sum_stat_calculator(stats))
            judged = acceptor(distance_function=distance_calculator, eps=eps_calculator, x=result.sum_stat, x_0=x_0,
                              t=t, par=pars)
            result.distance, result.accepted, result.weight = judged.distance, judged.accept, judged.weight
            return result

    # pyabc named the full-run model after its class: a fit resumed across this change keeps one model name
    return EarlyRejecting(name="_Simulator")


LOCAL_KERNEL_MIN_POPULATION = 50


def transition(population: int) -> pyabc.transition.Transition:
    """One covariance per particle, from its nearest quarter, for real fits: with 15 parameters a single global
    kernel gave weights so uneven (effective sample size 1-4 of 150) that the posterior was one particle. A
    quarter of a small test population is two or three neighbours, whose covariance is singular (pyabc's
    densities overflow and the weights sum to 0), so small runs keep the global kernel."""
    import pyabc

    if population >= LOCAL_KERNEL_MIN_POPULATION:
        return pyabc.LocalTransition(k_fraction=0.25)
    return pyabc.MultivariateNormalTransition()


def within_budget(sampler: pyabc.sampler.Sampler, abc: pyabc.ABCSMC, budget: int) -> dict[str, int]:
    """Make `--simulations` a cap. pyabc checks its budget only between generations, and a generation runs until it
    has its whole population, so a last generation at a tight tolerance could overrun it without end (a fit of
    2026-12-05 with a budget of 5,000 was 36 minutes into its eighth generation, past twice the time announced, when
    it was stopped). Each generation after the first may now simulate only what the budget has left; one cut short
    ends the fit with the generation before it, and the returned record (filled when that happens) says so. The
    prior sample and the first generation are never cut, so a fit always has a posterior. With several workers pyabc
    checks the count outside its lock, so a cut generation can run a simulation or two more than it was given. A
    dask scheduler's sampler ignores the cap (pyabc's EPSMixin). pyabc's minimum acceptance rate, which would also
    end a generation this way, is never set here."""
    cut: dict[str, int] = {}
    if not hasattr(sampler, "check_max_eval"):
        return cut
    sampler.check_max_eval = True
    sample = sampler.sample_until_n_accepted

    def capped(n, simulate_one, t, *, max_eval=np.inf, **kwargs):
        if t is not None and t > 0:
            max_eval = min(max_eval, max(budget - abc.history.total_nr_simulations, 0))
        out = sample(n, simulate_one, t, max_eval=max_eval, **kwargs)
        if not out.ok:
            cut.update(generation=int(t), simulations=int(sampler.nr_evaluations_), accepted=int(out.n_accepted))
        return out

    sampler.sample_until_n_accepted = capped
    return cut
