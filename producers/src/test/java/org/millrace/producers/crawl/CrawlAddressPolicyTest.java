package org.millrace.producers.crawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.millrace.producers.crawl.AddressPolicy.RefusedAddressException;

class CrawlAddressPolicyTest {

  /** Names that resolve where a test says; any other name is unknown. */
  static HostResolver names(Map<String, String> addresses) {
    return host -> {
      String address = addresses.get(host);
      if (address == null) {
        throw new UnknownHostException(host);
      }
      return List.of(InetAddress.getByName(address));
    };
  }

  @Test
  void internalAddressesAreNotPublic() throws Exception {
    for (String address :
        List.of(
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.100.100.200",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00::1",
            "fd00:ec2::254",
            "::ffff:127.0.0.1",
            "::ffff:7f00:1",
            "::127.0.0.1",
            "64:ff9b::a00:1")) {
      assertThat(AddressPolicy.isPublic(InetAddress.getByName(address))).as(address).isFalse();
    }
    assertThat(AddressPolicy.isPublic(InetAddress.getByName("93.184.215.14"))).isTrue();
    assertThat(AddressPolicy.isPublic(InetAddress.getByName("2606:4700::1111"))).isTrue();
  }

  @Test
  void refusesLoopbackUnlessAllowed() {
    assertThatThrownBy(() -> AddressPolicy.publicOnly().check("localhost"))
        .isInstanceOf(RefusedAddressException.class)
        .hasMessageContaining("not a public address");
    assertThatThrownBy(() -> AddressPolicy.publicOnly().check("[::1]"))
        .isInstanceOf(RefusedAddressException.class);
    assertThatCode(() -> AddressPolicy.allowing(List.of("127.0.0.0/8")).check("127.0.0.1"))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> AddressPolicy.allowing(List.of("127.0.0.0/8")).check("10.0.0.1"))
        .isInstanceOf(RefusedAddressException.class);
    assertThatCode(() -> AddressPolicy.allowing(List.of("*")).check("10.0.0.1"))
        .doesNotThrowAnyException();
  }

  /** Every spelling of an internal address in a URL's host, as java.net.URI gives the host. */
  @Test
  void everySpellingOfAnInternalAddressIsRefusedWithoutALookup() {
    HostResolver noLookups =
        host -> {
          throw new AssertionError("looked up " + host);
        };
    AddressPolicy policy = AddressPolicy.publicOnly().resolvingWith(noLookups);
    Map<String, String> spellings =
        Map.ofEntries(
            Map.entry("2130706433", "127.0.0.1"),
            Map.entry("0x7f.0.0.1", "127.0.0.1"),
            Map.entry("0177.0.0.1", "127.0.0.1"),
            Map.entry("127.1", "127.0.0.1"),
            Map.entry("[::ffff:127.0.0.1]", "127.0.0.1"),
            Map.entry("[::ffff:7f00:1]", "127.0.0.1"),
            Map.entry("[fd00::1]", "fd00:0:0:0:0:0:0:1"),
            Map.entry("[fe80::1]", "fe80:0:0:0:0:0:0:1"),
            Map.entry("[::1]", "0:0:0:0:0:0:0:1"),
            Map.entry("169.254.169.254", "169.254.169.254"),
            Map.entry("0xa9fea9fe", "169.254.169.254"),
            Map.entry("[fd00:ec2::254]", "fd00:ec2:0:0:0:0:0:254"));
    spellings.forEach(
        (host, address) ->
            assertThatThrownBy(() -> policy.check(host))
                .as(host)
                .isInstanceOf(RefusedAddressException.class)
                .hasMessageContaining(address)
                .hasMessageContaining("not a public address"));
  }

  @Test
  void hostsThatAreNoAddressAreUnknownNotLookedUp() {
    AddressPolicy policy =
        AddressPolicy.publicOnly()
            .resolvingWith(
                host -> {
                  throw new AssertionError("looked up " + host);
                });
    for (String host : List.of("256.0.0.1", "[fe80::1%25eth0]", "[::1", "::1", "")) {
      assertThatThrownBy(() -> policy.check(host))
          .as(host)
          .isInstanceOf(UnknownHostException.class);
    }
    assertThatThrownBy(() -> policy.check(null)).isInstanceOf(UnknownHostException.class);
  }

  @Test
  void aNameIsRefusedWhenItResolvesToARefusedAddress() {
    AddressPolicy policy =
        AddressPolicy.publicOnly()
            .resolvingWith(
                names(
                    Map.of(
                        "metadata.example", "169.254.169.254",
                        "local.example", "127.0.0.1",
                        "ula.example", "fd00::1",
                        "mapped.example", "::ffff:10.0.0.1")));
    for (String name : List.of("metadata.example", "local.example", "ula.example")) {
      assertThatThrownBy(() -> policy.check(name))
          .as(name)
          .isInstanceOf(RefusedAddressException.class)
          .hasMessageStartingWith(name + " resolves to ");
    }
    assertThatThrownBy(() -> policy.check("mapped.example"))
        .isInstanceOf(RefusedAddressException.class)
        .hasMessageContaining("10.0.0.1");
  }

  @Test
  void oneRefusedAddressAmongPublicOnesRefusesTheName() throws Exception {
    HostResolver mixed =
        host -> List.of(InetAddress.getByName("93.184.215.14"), InetAddress.getByName("10.0.0.7"));
    assertThatThrownBy(() -> AddressPolicy.publicOnly().resolvingWith(mixed).check("mixed.example"))
        .isInstanceOf(RefusedAddressException.class)
        .hasMessageContaining("10.0.0.7");
  }

  @Test
  void theAddressesCheckedAreReturnedAndTheNameIsResolvedOnce() throws Exception {
    int[] lookups = {0};
    HostResolver counting =
        host -> {
          lookups[0]++;
          return List.of(InetAddress.getByName("93.184.215.14"));
        };
    List<InetAddress> checked =
        AddressPolicy.publicOnly().resolvingWith(counting).check("www.example");
    assertThat(checked).containsExactly(InetAddress.getByName("93.184.215.14"));
    assertThat(lookups[0]).isEqualTo(1);
  }
}
