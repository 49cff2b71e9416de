package io.inferscope.core;

/**
 * What the run's hardware costs: by the hour of the machine, or by the energy its GPUs drew.
 * Exactly one is set.
 *
 * @param usdPerHour the machine's price per hour (every second of the measured window costs), or
 *     null
 * @param usdPerKwh the price of a kilowatt-hour (the GPUs' energy over the measured window costs),
 *     or null
 */
public record Price(Double usdPerHour, Double usdPerKwh) {

  public Price {
    if ((usdPerHour == null) == (usdPerKwh == null)) {
      throw new IllegalArgumentException("give a price per hour or per kWh, one of the two");
    }
    Double v = usdPerHour != null ? usdPerHour : usdPerKwh;
    if (!Double.isFinite(v) || v < 0) {
      throw new IllegalArgumentException("a price must be a finite number, 0 or more: " + v);
    }
  }

  public static Price perHour(double usd) {
    return new Price(usd, null);
  }

  public static Price perKwh(double usd) {
    return new Price(null, usd);
  }
}
