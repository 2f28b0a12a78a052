"""Reference figures for RnnCluster.Numerics.Classical (ARIMA, weighted moving average, seasonal naive).

Run from the repository root with Debian's python3-statsmodels (0.13.5):
    /usr/bin/python3 tests/Numerics.Tests/Classical/reference/make_reference.py
It writes synthetic-ar2.csv, synthetic-arma11.csv (numpy default_rng(15)) and arima-reference.json beside itself.

Method matched: statsmodels.tsa.arima.model.ARIMA(y, order=(p, d, q)).fit() with its default method 'statespace':
exact Gaussian maximum likelihood by the Kalman filter (stationary initialisation of the ARMA part), stationarity and
invertibility enforced (Monahan transform), trend 'c' (a constant = the process mean) when d = 0 and none when d = 1.
For d = 1, statsmodels 0.13.5 does not difference: it keeps the level as a state with an approximate diffuse prior
(variance 1e6) and leaves the first value out of the likelihood, which shifts its log-likelihood from the exact
likelihood of the differenced series by an amount that grows with the series' level (about 5e-4 on the CO2 series);
llf_differenced records the exact one at statsmodels' parameters.
statsmodels 0.13.5 offers no conditional-sum-of-squares ARIMA (arima_model.ARIMA was removed in 0.13), hence exact ML.
The optimiser is L-BFGS run to tight tolerances (maxiter 5000, pgtol 1e-12, factr 10) so the optimum, not the
optimiser's stopping point, is what is compared. Forecasts after a window: results.apply(window).forecast(h), i.e.
the fitted parameters with the window's values as the whole conditioning history.
"""
import json
import os
import warnings

import numpy as np
import statsmodels
from statsmodels.tsa.arima.model import ARIMA

warnings.simplefilter("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
FIT = dict(maxiter=5000, pgtol=1e-12, factr=10)
GRID = [(p, d, q) for p in range(4) for d in range(2) for q in range(3)]
WMA_LENGTH = 5


def read_column(path, column):
    with open(path) as f:
        header = f.readline().strip().split(",")
        index = header.index(column)
        return np.array([float(line.split(",")[index]) for line in f if line.strip()])


def write_synthetic(name, ar, ma, mean, n, rng):
    e = rng.standard_normal(n + 200)
    x = np.zeros(n + 200)
    for t in range(n + 200):
        x[t] = e[t] + sum(a * x[t - i - 1] for i, a in enumerate(ar) if t - i - 1 >= 0) \
                    + sum(b * e[t - j - 1] for j, b in enumerate(ma) if t - j - 1 >= 0)
    values = np.round(x[200:] + mean, 6)
    path = os.path.join(HERE, name)
    with open(path, "w") as f:
        f.write("t,value\n")
        for t, v in enumerate(values):
            f.write(f"{t},{v:.6f}\n")
    return read_column(path, "value")


def fit(y, order):
    return ARIMA(y, order=order).fit(method_kwargs=dict(FIT))


def describe(res, order, y):
    names = res.model.param_names
    params = dict(zip(names, res.params))
    p, d, q = order
    # statsmodels' d = 1 likelihood puts an approximate diffuse prior (variance 1e6) on the level and burns the first
    # value; the exact likelihood of the differenced series at the same parameters is recorded beside it.
    differenced = ARIMA(np.diff(y), order=(p, 0, q), trend="n").loglike(res.params) if d == 1 else res.llf
    return {
        "order": list(order),
        "const": params.get("const"),
        "ar": [params[f"ar.L{i}"] for i in range(1, p + 1)],
        "ma": [params[f"ma.L{i}"] for i in range(1, q + 1)],
        "sigma2": params["sigma2"],
        "llf": res.llf,
        "llf_differenced": differenced,
        "aic": res.aic,
        "converged": bool(res.mle_retvals.get("converged", False)),
    }


def origins(n, window, horizon):
    """Window origins (index of the first target) per segment, as Numerics/Data/SeriesWindows.cs cuts them."""
    train_end, valid_end = n * 7 // 10, n * 9 // 10
    out = []
    for start, end in [(0, train_end), (train_end, valid_end), (valid_end, n)]:
        out.append([start + i + window for i in range(end - start - window - horizon + 1)])
    return out


def mse(y, starts, horizon, forecaster):
    total = 0.0
    for o in starts:
        f = np.asarray(forecaster(o))
        total += float(np.sum((f - y[o:o + horizon]) ** 2))
    return total / (len(starts) * horizon)


def wma(values, n):
    w = np.arange(1, n + 1, dtype=float)
    return float(np.dot(values[-n:], w) / w.sum())


def series_reference(name, source, y, window, horizon, season, extra_orders):
    n = len(y)
    train = y[: n * 7 // 10]
    fits = {}
    grid = []
    for order in GRID:
        res = fit(train, order)
        fits[order] = res
        grid.append(describe(res, order, train))
    selected = min(GRID, key=lambda o: fits[o].aic)
    _, valid, test = origins(n, window, horizon)
    forecasts = []
    for order in [selected] + [o for o in extra_orders if o != selected]:
        for o in [valid[0], valid[len(valid) // 2], test[-1]]:
            forecasts.append({
                "order": list(order), "origin": o, "window": window, "horizon": horizon,
                "forecast": list(map(float, fits[order].apply(y[o - window:o]).forecast(horizon))),
            })
    best = fits[selected]
    figures = {}
    for label, starts in [("valid", valid), ("test", test)]:
        figures[label] = {
            "windows": len(starts),
            "naive": mse(y, starts, horizon, lambda o: np.repeat(y[o - 1], horizon)),
            "seasonal_naive": mse(y, starts, horizon,
                                  lambda o: [y[o - season + (k % season)] for k in range(horizon)]),
            "wma": mse(y, starts, horizon, lambda o: np.repeat(wma(y[o - window:o], WMA_LENGTH), horizon)),
            "arima": mse(y, starts, horizon, lambda o: best.apply(y[o - window:o]).forecast(horizon)),
        }
    print(name, "selected", selected, "aic", best.aic, figures)
    return {
        "name": name, "source": source, "length": n, "train": len(train),
        "grid": grid, "selected": list(selected),
        "forecasts": forecasts,
        "evaluation": {"window": window, "horizon": horizon, "season": season, "wma_length": WMA_LENGTH,
                       "order": list(selected), **figures},
    }


def main():
    rng = np.random.default_rng(15)
    ar2 = write_synthetic("synthetic-ar2.csv", [0.6, -0.3], [], 10.0, 500, rng)
    arma11 = write_synthetic("synthetic-arma11.csv", [0.7], [0.4], 0.0, 500, rng)
    co2 = read_column(os.path.join(ROOT, "examples", "data", "co2-concentration.csv"), "CO2")
    temp = read_column(os.path.join(ROOT, "examples", "data", "seattle-weather.csv"), "temp_max")
    series = [
        series_reference("ar2", "tests/Numerics.Tests/Classical/reference/synthetic-ar2.csv:value", ar2, 20, 5, 7, [(2, 0, 0)]),
        series_reference("arma11", "tests/Numerics.Tests/Classical/reference/synthetic-arma11.csv:value", arma11, 20, 5, 7, [(1, 0, 1)]),
        series_reference("co2", "examples/data/co2-concentration.csv:CO2", co2, 24, 12, 12, [(2, 1, 1)]),
        series_reference("seattle", "examples/data/seattle-weather.csv:temp_max", temp, 30, 7, 365, [(1, 0, 1)]),
    ]
    out = {
        "statsmodels": statsmodels.__version__,
        "numpy": np.__version__,
        "method": "statsmodels.tsa.arima.model.ARIMA(y, order=(p,d,q)).fit(method='statespace' (default), "
                  "method_kwargs=dict(maxiter=5000, pgtol=1e-12, factr=10)); trend 'c' if d == 0 else 'n'; "
                  "forecasts results.apply(window).forecast(h)",
        "grid": "p 0..3, d 0..1, q 0..2; selected = smallest aic",
        "wma": f"weights 1..n over the last n = {WMA_LENGTH} window values, flat forecast",
        "series": series,
    }
    with open(os.path.join(HERE, "arima-reference.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
