using System.Globalization;

namespace RnnCluster.Numerics.Classical;

/// <summary>
/// The order of an ARIMA(p, d, q) model: p autoregressive lags, d differences (0 or 1), q moving-average lags.
/// With d = 0 the model has a constant (the process mean); with d = 1 it has none (no drift), as statsmodels'
/// ARIMA does by default.
/// </summary>
public readonly record struct ArimaOrder(int P, int D, int Q)
{
    /// <summary>The largest p and q accepted: the state of the Kalman filter has max(p, q + 1) values.</summary>
    public const int MaxLags = 10;

    /// <summary>Whether the model has a constant: when it is not differenced.</summary>
    public bool HasConstant => D == 0;

    /// <summary>Estimated parameters as AIC counts them: constant, p AR and q MA coefficients, and sigma2.</summary>
    public int ParameterCount => (HasConstant ? 1 : 0) + P + Q + 1;

    /// <summary>Throws <see cref="InvalidInputException"/> naming <c>--arima</c> when the order is outside p, q 0..10, d 0..1.</summary>
    public void Validate()
    {
        if (P < 0 || P > MaxLags || Q < 0 || Q > MaxLags || D < 0 || D > 1)
            throw new InvalidInputException("arima", $"order {this} is not allowed; allowed p 0..{MaxLags}, d 0..1, q 0..{MaxLags}");
    }

    /// <summary>
    /// An order written "p,d,q" (as <c>--arima</c> and a sweep's data.arima take it), checked; anything else throws
    /// <see cref="InvalidInputException"/> naming <paramref name="field"/>.
    /// </summary>
    public static ArimaOrder Parse(string text, string field)
    {
        var parts = text.Split(',');
        var n = new int[parts.Length];
        if (parts.Length != 3 || !parts.Select((p, i) => int.TryParse(p.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out n[i])).All(ok => ok))
            throw new InvalidInputException(field, $"'{text}' is not an order; give p,d,q as three whole numbers, e.g. 2,1,1 (p, q 0..{MaxLags}, d 0..1)");
        var order = new ArimaOrder(n[0], n[1], n[2]);
        if (order.P < 0 || order.P > MaxLags || order.Q < 0 || order.Q > MaxLags || order.D < 0 || order.D > 1)
            throw new InvalidInputException(field, $"order {order} is not allowed; allowed p 0..{MaxLags}, d 0..1, q 0..{MaxLags}");
        return order;
    }

    /// <summary>"p,d,q", as <see cref="Parse"/> reads it.</summary>
    public string ToText() => $"{P},{D},{Q}";

    public override string ToString() => $"({P},{D},{Q})";
}
