package org.millrace.processors.filter;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;

/**
 * A filter's parameters as configuration keys: each component of its {@code Settings} record is the
 * key {@code filters.<filter>.<component>}, dotted and in lower case ({@code
 * filters.gopher.quality.min.words} for {@code GopherQualityFilter.Settings.minWords}), and its
 * default is the record's {@code DEFAULTS}. The defaults are so named once, beside the paper they
 * come from, and a new threshold is configurable the moment it is added to a Settings record.
 *
 * <p>Values are written as Java reads them: numbers, {@code true}/{@code false}, lists of words
 * separated by commas, and maps from n-gram sizes to fractions as {@code 2=0.2,3=0.18}.
 */
public final class FilterParameters {

  private FilterParameters() {}

  /** {@code gopher_quality} → {@code filters.gopher.quality.} */
  public static String prefixOf(String filter) {
    return "filters." + filter.replace('_', '.') + ".";
  }

  /** {@code minWords} → {@code min.words} */
  public static String keyOf(String component) {
    return component.replaceAll("([a-z0-9])([A-Z])", "$1.$2").toLowerCase(Locale.ROOT);
  }

  /** Every parameter of a Settings record, with the value in {@code defaults}, in record order. */
  public static <S extends Record> Map<String, String> defaults(String filter, S defaults) {
    Map<String, String> values = new LinkedHashMap<>();
    for (RecordComponent component : defaults.getClass().getRecordComponents()) {
      values.put(
          prefixOf(filter) + keyOf(component.getName()), format(valueOf(component, defaults)));
    }
    return values;
  }

  /**
   * The Settings with every component whose key is in {@code values} replaced by that value.
   *
   * @param values configuration keys and values; keys of other filters are ignored
   * @throws ConfigException naming the key, for a key of this filter that is no parameter of it or
   *     a value of the wrong type
   */
  @SuppressWarnings("unchecked")
  public static <S extends Record> S bind(String filter, S defaults, Map<String, String> values) {
    String prefix = prefixOf(filter);
    RecordComponent[] components = defaults.getClass().getRecordComponents();
    Map<String, RecordComponent> byKey = new LinkedHashMap<>();
    for (RecordComponent component : components) {
      byKey.put(prefix + keyOf(component.getName()), component);
    }
    for (String key : values.keySet()) {
      if (key.startsWith(prefix) && !byKey.containsKey(key)) {
        throw new ConfigException(
            "unknown parameter '"
                + key
                + "' of filter "
                + filter
                + "; its parameters are "
                + String.join(", ", byKey.keySet()));
      }
    }
    Object[] arguments = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      String key = prefix + keyOf(component.getName());
      types[i] = component.getType();
      arguments[i] =
          values.containsKey(key)
              ? parse(key, values.get(key), component.getGenericType())
              : valueOf(component, defaults);
    }
    try {
      Constructor<?> constructor = defaults.getClass().getDeclaredConstructor(types);
      constructor.setAccessible(true);
      return (S) constructor.newInstance(arguments);
    } catch (InvocationTargetException e) {
      throw new ConfigException(
          "filter " + filter + ": " + e.getCause().getMessage() + " (" + values + ")");
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object valueOf(RecordComponent component, Record record) {
    try {
      component.getAccessor().setAccessible(true);
      return component.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String format(Object value) {
    if (value instanceof Map<?, ?> map) {
      return new java.util.TreeMap<>(map)
          .entrySet().stream()
              .map(entry -> entry.getKey() + "=" + entry.getValue())
              .collect(Collectors.joining(","));
    }
    if (value instanceof Iterable<?> items) {
      List<String> words = new java.util.ArrayList<>();
      items.forEach(item -> words.add(String.valueOf(item)));
      if (value instanceof Set<?>) {
        words.sort(null);
      }
      return String.join(",", words);
    }
    return String.valueOf(value);
  }

  private static String readable(Type type) {
    return type.getTypeName().replace("java.util.", "").replace("java.lang.", "");
  }

  private static Object parse(String key, String value, Type type) {
    String text = value.strip();
    try {
      if (type == int.class) {
        return Integer.parseInt(text);
      }
      if (type == long.class) {
        return Long.parseLong(text);
      }
      if (type == double.class) {
        return Double.parseDouble(text);
      }
      if (type == boolean.class) {
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
          throw new IllegalArgumentException("not true or false");
        }
        return Boolean.parseBoolean(text);
      }
      if (type == String.class) {
        return text;
      }
      if (type instanceof ParameterizedType parameterized
          && parameterized.getActualTypeArguments()[0] == String.class) {
        List<String> words =
            Arrays.stream(text.split(",")).map(String::strip).filter(w -> !w.isEmpty()).toList();
        if (parameterized.getRawType() == Set.class) {
          return words.stream().collect(Collectors.toCollection(LinkedHashSet::new));
        }
        if (parameterized.getRawType() == List.class) {
          return words;
        }
      }
      if (type instanceof ParameterizedType parameterized
          && parameterized.getRawType() == Map.class
          && parameterized.getActualTypeArguments()[0] == Integer.class
          && parameterized.getActualTypeArguments()[1] == Double.class) {
        Map<Integer, Double> map = new java.util.TreeMap<>();
        for (String entry : text.split(",")) {
          String[] keyAndValue = entry.split("=", 2);
          if (keyAndValue.length != 2) {
            throw new IllegalArgumentException("not n=value");
          }
          map.put(
              Integer.parseInt(keyAndValue[0].strip()), Double.parseDouble(keyAndValue[1].strip()));
        }
        return map;
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, value, "expected " + readable(type));
    }
    throw new IllegalStateException("a Settings component of type " + type + " is not supported");
  }
}
