package org.millrace.producers.crawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.millrace.producers.crawl.AddressPolicy.RefusedAddressException;

class CrawlAddressPolicyTest {

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
            "fd00:ec2::254",
            "::ffff:127.0.0.1",
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
}
