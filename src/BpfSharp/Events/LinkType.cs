namespace BpfSharp.Events;

/// <summary>What a captured packet starts with: the tcpdump.org <c>LINKTYPE_</c> values a pcap header or a pcapng
/// interface block gives. Other values pass through as numbers; BpfSharp runs programs on the ones named here.</summary>
internal enum LinkType : uint
{
    /// <summary><c>LINKTYPE_ETHERNET</c>: an Ethernet II frame from its destination MAC address.</summary>
    Ethernet = 1,

    /// <summary><c>LINKTYPE_RAW</c>: an IPv4 or IPv6 packet, told apart by its version nibble (tun devices,
    /// <c>tcpdump -i any</c> on some systems).</summary>
    Raw = 101,

    /// <summary><c>LINKTYPE_LINUX_SLL</c>: Linux "cooked" capture (<c>tcpdump -i any</c> with libpcap before 1.10): a
    /// 16-byte header (packet type, ARPHRD_ type, address length, 8 address bytes, protocol) before the payload.</summary>
    LinuxSll = 113,

    /// <summary><c>LINKTYPE_IPV4</c>: an IPv4 packet.</summary>
    Ipv4 = 228,

    /// <summary><c>LINKTYPE_IPV6</c>: an IPv6 packet.</summary>
    Ipv6 = 229,

    /// <summary><c>LINKTYPE_LINUX_SLL2</c>: Linux "cooked" capture v2 (<c>tcpdump -i any</c> with libpcap 1.10 and
    /// later): a 20-byte header (protocol, reserved, interface index, ARPHRD_ type, packet type, address length, 8 address
    /// bytes) before the payload.</summary>
    LinuxSll2 = 276,
}
