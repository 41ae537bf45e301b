/** The EventBus the app publishes and consumes with. */
export const EVENT_BUS = Symbol('EVENT_BUS');
/** naisd's JsonLogger. */
export const NAISD_LOGGER = Symbol('NAISD_LOGGER');
